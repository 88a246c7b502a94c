"""HTTP routes: health, the model, metrics, briefs and their Markdown; each article read by
`requests.py` and handed to the pipeline off the event loop (`brief/runner.py`)."""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from service.brief.pipeline import BriefPipeline
from service.brief.render import to_markdown
from service.brief.runner import run_brief
from service.errors import InvalidInput
from service.http.deps import State
from service.http.error_handlers import describe_validation, error_body
from service.http.middleware import AUTHORIZED
from service.http.requests import read_body, read_brief_request
from service.http.state import ServiceState
from service.http.streaming import StreamedBrief, event_stream, wants_event_stream
from service.schemas import Brief, BriefRequest

router = APIRouter()
log = logging.getLogger("service.http.routes")

_REQUEST_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": BriefRequest.model_json_schema()},
        "text/plain": {"schema": {"type": "string", "description": "The article's text."}},
        "text/html": {"schema": {"type": "string", "description": "A news page's HTML."}},
    },
}
_ERROR = {"description": "Error", "content": {"application/json": {"example": error_body(
    "invalid_input", "text is empty or only whitespace")}}}
_STREAM = {"description": "The brief (JSON), or with `Accept: text/event-stream` its progress "
           "and then the brief as server-sent events.",
           "content": {"text/event-stream": {"schema": {"type": "string"}, "example": (
               'event: progress\ndata: {"stage": "writing", "message": "the model is writing '
               'the brief", "parts": 1, "parts_done": 0, "tokens": 120, "elapsed_s": 3.1}\n\n'
               'event: brief\ndata: {"id": "brf_...", "headline": "...", ...}\n\n')}}}


@router.get("/healthz", tags=["health"])
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", tags=["health"], responses={503: _ERROR})
async def readyz(request: Request, state: State) -> JSONResponse:
    """The model is loaded and warmed up, and its engine answers (a model server's engine
    is asked every few seconds: readiness follows the server down and back up)."""
    # Why it is not ready (a load error, the engine server's address) is for a caller with
    # a key: a prober needs only the status.
    detailed = getattr(request.state, AUTHORIZED, False)
    if state.ready and state.pipeline is not None:
        problem = await run_in_threadpool(state.pipeline.engine.health)
        if problem is not None:
            return _not_ready("engine_unavailable", problem, detailed)
        return JSONResponse({"status": "ready"})
    if state.load_error:
        return _not_ready("model_load_failed", state.load_error, detailed)
    return JSONResponse(error_body("loading", "the model is still loading"), status_code=503)


def _not_ready(code: str, reason: str, detailed: bool) -> JSONResponse:
    message = reason if detailed else "not ready; a request with an API key is told why"
    return JSONResponse(error_body(code if detailed else "not_ready", message), status_code=503)


@router.get("/v1/model", tags=["model"], responses={503: _ERROR})
async def model_info(state: State) -> dict[str, Any]:
    """Which model answers, where it came from, and its parameters."""
    pipeline = state.loaded_pipeline("the model is still loading")
    info = pipeline.engine.info
    settings = state.settings
    return {
        "engine": info.kind,
        "name": info.name,
        "source": info.source,
        "location": info.location,
        "parameters": info.parameters,
        "prompt_version": pipeline.prompts.version,
        "limits": {
            "max_input_chars": settings.max_input_chars,
            "max_input_tokens": settings.max_input_tokens,
            "max_new_tokens": settings.max_new_tokens,
        },
    }


@router.get("/metrics", tags=["health"], response_class=Response)
async def metrics(state: State) -> Response:
    """Prometheus metrics: requests, latency, queue depth, generations in flight, tokens."""
    return Response(
        state.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8"
    )


@router.post(
    "/v1/briefs",
    tags=["briefs"],
    response_model=Brief,
    openapi_extra={"requestBody": _REQUEST_BODY},
    responses={200: _STREAM, 400: _ERROR, 401: _ERROR, 413: _ERROR, 415: _ERROR, 422: _ERROR,
               429: _ERROR, 502: _ERROR, 503: _ERROR, 504: _ERROR},
)
async def create_brief(request: Request, state: State) -> Brief | Response:
    """Brief one article. JSON `{"text": ...}` or a `text/plain` body (fields as query params).

    With `Accept: text/event-stream` the answer is a stream of server-sent events:
    `progress` (stage, message, parts, parts_done, tokens, elapsed_s) at least every two
    seconds, then one `brief` event carrying exactly this call's JSON body, or one `error`
    event carrying the error object (and its `status`). Errors in the request itself (401,
    413, 415, 422, 429, 503) come before the stream, as plain HTTP responses."""
    settings = state.settings
    deadline = time.monotonic() + settings.request_timeout_s
    brief_request = await read_brief_request(request, settings.max_input_chars)
    pipeline = state.loaded_pipeline()
    if wants_event_stream(request):
        return await _stream(request, state, pipeline, brief_request, deadline)
    async with state.admission.slot(deadline):
        brief = await _generate(request, pipeline, brief_request, deadline)
    _record(state, brief_request, brief)
    return brief


def _record(state: ServiceState, brief_request: BriefRequest, brief: Brief) -> None:
    state.metrics.tokens_in.inc(brief.meta.input_tokens)
    state.metrics.tokens_out.inc(brief.meta.output_tokens)
    if state.settings.log_content:
        # INFO, the default level: BRIEF_LOG_CONTENT=true alone makes the content appear.
        sent = {"text": brief_request.text} if brief_request.html is None else {
            "html": brief_request.html}
        log.info("brief", extra={**sent, "brief": brief.model_dump(mode="json")})


async def _stream(
    request: Request, state: ServiceState, pipeline: BriefPipeline, brief_request: BriefRequest,
    deadline: float,
) -> Response:
    started = await state.admission.acquire(deadline)
    try:
        streamed = StreamedBrief(
            pipeline.run, brief_request, deadline,
            on_finished=lambda: state.admission.release(started),
            on_brief=lambda brief: _record(state, brief_request, brief),
        )
    except BaseException:
        state.admission.release(started)
        raise
    first = await streamed.first_report(request)
    return event_stream(streamed, first, state.settings.shutdown_grace_s)


async def _generate(
    request: Request, pipeline: BriefPipeline, brief_request: BriefRequest, deadline: float
) -> Brief:
    """Run the pipeline in a worker thread; stop it if the client leaves or time runs out."""
    return await run_brief(
        lambda cancel: pipeline.run(brief_request, cancel), deadline, request.is_disconnected)


@router.post(
    "/v1/render/markdown",
    tags=["briefs"],
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/markdown": {}}}, 401: _ERROR, 413: _ERROR, 422: _ERROR},
)
async def render_markdown(request: Request, state: State) -> PlainTextResponse:
    """A brief (the JSON `/v1/briefs` returned) as Markdown, for a cable or a newsletter: no
    model involved."""
    body = await read_body(request, state.settings.max_input_chars)
    try:
        brief = Brief.model_validate_json(body)
    except ValidationError as exc:
        raise InvalidInput(describe_validation(exc.errors(include_input=False))) from exc
    return PlainTextResponse(to_markdown(brief), media_type="text/markdown; charset=utf-8")
