"""One job of many articles through real `brief serve` replicas on one PostgreSQL job store,
over one shared llama.cpp server: items a second with one replica, then with two.

    python bench/jobs_replicas.py --items 8                      # starts everything itself
    python bench/jobs_replicas.py --engine-url http://127.0.0.1:8080/v1 --items 40

Without --engine-url it starts llama-cpp-python's server on the embedded model's GGUF (one
request at a time: two replicas then only share it, and the figures show the server, not the
store, setting the pace); a `llama-server --parallel N` given by URL lets replicas add up.
Without --postgres (or BRIEF_TEST_POSTGRES_URL) it starts a throwaway PostgreSQL with
scripts/postgres-test-cluster. Each run gets a database of its own. Timings depend on the
machine and its load: compare rows of one run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the process ended:\n{log.read_text()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    raise SystemExit(f"{url} never answered 200:\n{log.read_text()[-2000:]}")


@contextlib.contextmanager
def _process(command: list[str], env: dict[str, str], log: Path) -> Iterator[
        subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=out)
    try:
        yield process
    finally:
        process.kill()
        process.wait(10)


@contextlib.contextmanager
def _llama(url: str | None, folder: Path) -> Iterator[str]:
    if url:
        yield url
        return
    sys.path.insert(0, str(REPO))
    from service.engines.model_source import assemble_embedded_gguf

    gguf = assemble_embedded_gguf(folder / "model.gguf")
    port = _free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf),
               "--model_alias", "brief-model", "--host", "127.0.0.1", "--port", str(port),
               "--n_ctx", "8192", "--n_threads", str(os.cpu_count() or 2),
               "--interrupt_requests", "False"]
    log = folder / "llama.log"
    with _process(command, dict(os.environ), log) as process:
        base = f"http://127.0.0.1:{port}/v1"
        _wait(f"{base}/models", process, log, 300)
        yield base


@contextlib.contextmanager
def _postgres(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    script = REPO / "scripts" / "postgres-test-cluster"
    out = subprocess.run([str(script), "start"], capture_output=True, text=True, check=True)
    exports = dict(line.removeprefix("export ").split("=", 1) for line in out.stdout.splitlines())
    try:
        yield exports["BRIEF_TEST_POSTGRES_URL"]
    finally:
        subprocess.run([str(script), "stop", exports["BRIEF_TEST_POSTGRES_DIR"]], check=False)


@contextlib.contextmanager
def _database(server: str) -> Iterator[str]:
    name = "brief_bench_" + secrets.token_hex(4)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(server)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(replicas: int, engine: str, model: str, jobs_url: str, text: str, items: int,
        folder: Path) -> float:
    """Items a second over one job of `items`, made on the first replica."""
    with contextlib.ExitStack() as stack:
        urls = []
        for index in range(replicas):
            port = _free_port()
            env = {**os.environ, "BRIEF_ENGINE": "openai", "BRIEF_OPENAI_BASE_URL": engine,
                   "BRIEF_OPENAI_MODEL": model, "BRIEF_OPENAI_SCHEMA_MODE": "auto",
                   "BRIEF_OPENAI_SAMPLING": "llama.cpp", "BRIEF_OPENAI_TIMEOUT_S": "300",
                   "BRIEF_REQUEST_TIMEOUT_S": "600", "BRIEF_WARMUP": "false",
                   "BRIEF_HOST": "127.0.0.1", "BRIEF_PORT": str(port),
                   "BRIEF_JOBS_URL": jobs_url, "PYTHONPATH": str(REPO)}
            log = folder / f"replica-{replicas}-{index}.log"
            process = stack.enter_context(
                _process([sys.executable, "-m", "service.cli", "serve"], env, log))
            url = f"http://127.0.0.1:{port}"
            _wait(f"{url}/readyz", process, log, 300)
            urls.append(url)
        body = {"items": [{"text": text, "title": f"Item {i}"} for i in range(items)]}
        started = time.monotonic()
        job = httpx.post(f"{urls[0]}/v1/jobs", json=body, timeout=60).json()["id"]
        while True:
            state = httpx.get(f"{urls[-1]}/v1/jobs/{job}", timeout=30).json()
            if state["status"] not in ("queued", "running"):
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        if state["progress"]["done"] != items:
            print(f"  warning: {state['progress']}", flush=True)
        return items / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine-url", help="an OpenAI-compatible llama.cpp server's /v1 URL")
    parser.add_argument("--engine-model", default="brief-model")
    parser.add_argument("--postgres", default=os.environ.get("BRIEF_TEST_POSTGRES_URL"))
    parser.add_argument("--items", type=int, default=8)
    parser.add_argument("--article", default=str(REPO / "tests/articles/santiago_readout.txt"))
    args = parser.parse_args()
    text = Path(args.article).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp, _llama(args.engine_url, Path(tmp)) as engine, \
            _postgres(args.postgres) as server:
        for replicas in (1, 2):
            with _database(server) as jobs_url:
                rate = run(replicas, engine, args.engine_model, jobs_url, text, args.items,
                           Path(tmp))
            print(f"{replicas} replica(s), one job of {args.items} items over {engine}: "
                  f"{rate:.3f} items/s ({args.items / rate:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
