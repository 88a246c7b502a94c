"""HTTP routes: parse and validate requests, hand articles to the pipeline off the event loop."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from service.brief.render import to_markdown
from service.brief.runner import run_brief
from service.errors import (
    ClientClosedRequest,
    EngineUnavailable,
    InputTooLarge,
    InvalidInput,
    MalformedRequest,
    UnsupportedMediaType,
    too_large,
)
from service.http.error_handlers import describe_validation, error_body
from service.http.middleware import AUTHORIZED
from service.http.streaming import StreamedBrief, event_stream, wants_event_stream
from service.schemas import HTML_SIZE_FACTOR, Brief, BriefRequest

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
# JSON framing and escapes can make the body several times longer than the text it carries.
_BODY_OVERHEAD = 6


def _state(request: Request) -> Any:
    return request.app.state.service


@router.get("/healthz", tags=["health"])
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", tags=["health"], responses={503: _ERROR})
async def readyz(request: Request) -> JSONResponse:
    """The model is loaded and warmed up, and its engine answers (a model server's engine
    is asked every few seconds: readiness follows the server down and back up)."""
    state = _state(request)
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
async def model_info(request: Request) -> dict[str, Any]:
    """Which model answers, where it came from, and its parameters."""
    state = _state(request)
    if not state.ready or state.pipeline is None:
        raise EngineUnavailable(state.load_error or "the model is still loading")
    info = state.pipeline.engine.info
    settings = state.settings
    return {
        "engine": info.kind,
        "name": info.name,
        "source": info.source,
        "location": info.location,
        "parameters": info.parameters,
        "prompt_version": state.pipeline.prompts.version,
        "limits": {
            "max_input_chars": settings.max_input_chars,
            "max_input_tokens": settings.max_input_tokens,
            "max_new_tokens": settings.max_new_tokens,
        },
    }


def _body_too_large(max_chars: int) -> InputTooLarge:
    # Closed after the answer: a client that sent too much need not be kept. The middleware
    # reads and discards the rest of the body first (up to BRIEF_DRAIN_LIMIT_BYTES), so a
    # client that writes it all before reading still reads this 413.
    return InputTooLarge(
        f"request body is too large; the text limit is {max_chars:,} characters",
        headers={"Connection": "close"},
    )


def body_limit(max_chars: int) -> int:
    """Bytes one article's request body may take: its text or HTML, framed and escaped."""
    return max_chars * max(_BODY_OVERHEAD, HTML_SIZE_FACTOR) + 65_536


async def read_body(
    request: Request, max_chars: int, limit_bytes: int | None = None,
) -> bytearray:
    """The body, refused as soon as it is known to be over the limit. The middleware bounds
    the time it may take (BRIEF_BODY_READ_TIMEOUT_S: 408). A bytearray, not a copy of it as
    bytes: a job's body may be megabytes."""
    limit_bytes = limit_bytes or body_limit(max_chars)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit_bytes:
        raise _body_too_large(max_chars)
    body = bytearray()
    try:
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > limit_bytes:
                raise _body_too_large(max_chars)
    except ClientDisconnect as exc:
        raise ClientClosedRequest("the client disconnected while sending the body") from exc
    return body


async def _read_brief_request(request: Request, max_chars: int) -> BriefRequest:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in ("application/json", "text/plain", "text/html"):
        raise UnsupportedMediaType(
            f"content type {media_type or '(none)'!r} is not supported; "
            "send application/json, text/plain or text/html"
        )
    decoded = utf8(await read_body(request, max_chars))
    if media_type in ("text/plain", "text/html"):
        field = "text" if media_type == "text/plain" else "html"
        if {"text", "html"} & set(request.query_params):
            raise InvalidInput(f"with a {media_type} body, the article is the body, not a query "
                               "parameter")
        payload: Any = {field: decoded, **dict(request.query_params)}
    else:
        payload = parse_json(decoded)
        if not isinstance(payload, dict):
            raise InvalidInput("body must be a JSON object with a 'text' field")
    return brief_request(payload, max_chars)


def utf8(body: bytes | bytearray) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRequest(f"body is not valid UTF-8 (byte {exc.start})") from exc


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedRequest(f"body is not valid JSON: {exc.msg} at position {exc.pos}") from exc
    except RecursionError as exc:
        raise MalformedRequest("body is JSON nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer literal of thousands of digits
        raise MalformedRequest(f"body is not acceptable JSON: {exc}") from exc


def brief_request(payload: dict[str, Any], max_chars: int, where: str = "") -> BriefRequest:
    """One article's request from its JSON fields, sizes checked first (413). `where` names
    it in messages (an item of a job)."""
    for field, limit in (("text", max_chars), ("html", max_chars * HTML_SIZE_FACTOR)):
        value = payload.get(field)
        if isinstance(value, str) and len(value) > limit:
            raise too_large(where + field, len(value), limit)
    try:
        return BriefRequest.model_validate(payload)
    except ValidationError as exc:
        problems = describe_validation(exc.errors(include_input=False))
        raise InvalidInput(f"{where.rstrip('.')}: {problems}" if where else problems) from exc


@router.get("/metrics", tags=["health"], response_class=Response)
async def metrics(request: Request) -> Response:
    """Prometheus metrics: requests, latency, queue depth, generations in flight, tokens."""
    return Response(
        _state(request).metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8"
    )


@router.post(
    "/v1/briefs",
    tags=["briefs"],
    response_model=Brief,
    openapi_extra={"requestBody": _REQUEST_BODY},
    responses={200: _STREAM, 400: _ERROR, 401: _ERROR, 413: _ERROR, 415: _ERROR, 422: _ERROR,
               429: _ERROR, 502: _ERROR, 503: _ERROR, 504: _ERROR},
)
async def create_brief(request: Request) -> Brief | Response:
    """Brief one article. JSON `{"text": ...}` or a `text/plain` body (fields as query params).

    With `Accept: text/event-stream` the answer is a stream of server-sent events:
    `progress` (stage, message, parts, parts_done, tokens, elapsed_s) at least every two
    seconds, then one `brief` event carrying exactly this call's JSON body, or one `error`
    event carrying the error object (and its `status`). Errors in the request itself (401,
    413, 415, 422, 429, 503) come before the stream, as plain HTTP responses."""
    state = _state(request)
    settings = state.settings
    deadline = time.monotonic() + settings.request_timeout_s
    brief_request = await _read_brief_request(request, settings.max_input_chars)
    if not state.ready or state.pipeline is None:
        raise EngineUnavailable(state.load_error or "the model is still loading; retry shortly")
    if wants_event_stream(request):
        return await _stream(request, state, brief_request, deadline)
    async with state.admission.slot(deadline):
        brief = await _generate(request, state.pipeline, brief_request, deadline)
    _record(state, brief_request, brief)
    return brief


def _record(state: Any, brief_request: BriefRequest, brief: Brief) -> None:
    state.metrics.tokens_in.inc(brief.meta.input_tokens)
    state.metrics.tokens_out.inc(brief.meta.output_tokens)
    if state.settings.log_content:
        # INFO, the default level: BRIEF_LOG_CONTENT=true alone makes the content appear.
        sent = {"text": brief_request.text} if brief_request.html is None else {
            "html": brief_request.html}
        log.info("brief", extra={**sent, "brief": brief.model_dump(mode="json")})


async def _stream(
    request: Request, state: Any, brief_request: BriefRequest, deadline: float
) -> Response:
    started = await state.admission.acquire(deadline)
    try:
        streamed = StreamedBrief(
            state.pipeline.run, brief_request, deadline,
            on_finished=lambda: state.admission.release(started),
            on_brief=lambda brief: _record(state, brief_request, brief),
        )
    except BaseException:
        state.admission.release(started)
        raise
    first = await streamed.first_report(request)
    return event_stream(streamed, first, state.settings.shutdown_grace_s)


async def _generate(
    request: Request, pipeline: Any, brief_request: BriefRequest, deadline: float
) -> Brief:
    """Run the pipeline in a worker thread; stop it if the client leaves or time runs out."""
    brief: Brief = await run_brief(
        lambda cancel: pipeline.run(brief_request, cancel), deadline, request.is_disconnected)
    return brief


@router.post(
    "/v1/render/markdown",
    tags=["briefs"],
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/markdown": {}}}, 401: _ERROR, 413: _ERROR, 422: _ERROR},
)
async def render_markdown(request: Request) -> PlainTextResponse:
    """A brief (the JSON `/v1/briefs` returned) as Markdown, for a cable or a newsletter: no
    model involved."""
    settings = _state(request).settings
    body = await read_body(request, settings.max_input_chars)
    try:
        brief = Brief.model_validate_json(body)
    except ValidationError as exc:
        raise InvalidInput(describe_validation(exc.errors(include_input=False))) from exc
    return PlainTextResponse(to_markdown(brief), media_type="text/markdown; charset=utf-8")
