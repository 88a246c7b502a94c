"""`POST /v1/compare`: two to four articles about one event, each as `/v1/briefs` takes
one, compared. Admission, deadline and cancellation are a brief's (routes.py)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from service.brief.runner import run_brief
from service.compare.comparer import Comparer
from service.compare.schemas import MAX_ARTICLES, MIN_ARTICLES, Comparison, MultiComparison
from service.errors import EngineUnavailable, InvalidInput, UnsupportedMediaType
from service.http.error_handlers import error_body
from service.http.routes import (
    body_limit,
    brief_request,
    parse_json,
    read_body,
    utf8,
)
from service.http.streaming import StreamedBrief, event_stream, wants_event_stream
from service.schemas import BriefRequest

router = APIRouter()

_ERROR = {"description": "Error", "content": {"application/json": {"example": error_body(
    "invalid_input", "articles: send 2 to 4 articles to compare, not 1")}}}


class CompareRequest(BaseModel):
    """The articles to compare, in order: the first is `a`, the second `b`."""

    articles: list[BriefRequest] = Field(..., min_length=MIN_ARTICLES, max_length=MAX_ARTICLES)


def compare_requests(payload: Any, max_chars: int) -> list[BriefRequest]:
    """The articles of a compare request, each checked as a brief's request is (413 for one
    too long, 422 naming the article and its field)."""
    if not isinstance(payload, dict):
        raise InvalidInput("body must be a JSON object with an 'articles' list")
    extra = sorted(set(payload) - {"articles"})
    if extra:
        raise InvalidInput(f"unknown field(s) {', '.join(map(repr, extra))}; send "
                           "{\"articles\": [...]}")
    articles = payload.get("articles")
    if not isinstance(articles, list):
        raise InvalidInput("articles: must be a list of 2 to 4 articles, each as /v1/briefs "
                           "takes one")
    if not MIN_ARTICLES <= len(articles) <= MAX_ARTICLES:
        raise InvalidInput(f"articles: send {MIN_ARTICLES} to {MAX_ARTICLES} articles to "
                           f"compare, not {len(articles)}")
    requests = []
    for index, article in enumerate(articles):
        where = f"articles[{index}]."
        if not isinstance(article, dict):
            raise InvalidInput(f"{where.rstrip('.')}: must be an object with a 'text' or "
                               "'html' field")
        requests.append(brief_request(article, max_chars, where))
    return requests


@router.post(
    "/v1/compare",
    tags=["compare"],
    response_model=Comparison | MultiComparison,
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": CompareRequest.model_json_schema()}}}},
    responses={200: {"description": "The comparison (JSON), or with `Accept: "
                     "text/event-stream` `progress` events and then one `comparison` event.",
                     "content": {"text/event-stream": {"schema": {"type": "string"}}}},
               400: _ERROR, 401: _ERROR, 413: _ERROR, 415: _ERROR, 422: _ERROR, 429: _ERROR,
               502: _ERROR, 503: _ERROR, 504: _ERROR},
)
async def compare(request: Request) -> Comparison | MultiComparison | Response:
    """Compare two to four articles about one event (two governments' readouts of one call,
    say): whether they report the same event and why, each article's brief, the points they
    share (with evidence in each text), the points only one reports, and the fields they
    state differently (tone, date, place, who took part, an agreement one side claims)."""
    state = request.app.state.service
    settings = state.settings
    deadline = time.monotonic() + settings.request_timeout_s
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise UnsupportedMediaType(f"content type {media_type or '(none)'!r} is not supported; "
                                   "send application/json")
    body = await read_body(request, settings.max_input_chars,
                           body_limit(settings.max_input_chars) * MAX_ARTICLES)
    requests = compare_requests(parse_json(utf8(body)), settings.max_input_chars)
    if not state.ready or state.pipeline is None:
        raise EngineUnavailable(state.load_error or "the model is still loading; retry shortly")
    comparer = Comparer(state.pipeline)
    if wants_event_stream(request):
        return await _stream(request, state, comparer, requests, deadline)
    async with state.admission.slot(deadline):
        result: Comparison | MultiComparison = await run_brief(
            lambda cancel: comparer.compare(requests, cancel), deadline, request.is_disconnected)
    _record(state, result)
    return result


def _record(state: Any, result: Comparison | MultiComparison) -> None:
    briefs = [result.a, result.b] if isinstance(result, Comparison) else result.briefs
    for brief in briefs:
        state.metrics.tokens_in.inc(brief.meta.input_tokens)
        state.metrics.tokens_out.inc(brief.meta.output_tokens)


async def _stream(
    request: Request, state: Any, comparer: Comparer, requests: list[BriefRequest],
    deadline: float,
) -> Response:
    """As a streamed brief (streaming.py): `progress` while both briefs are made (one batch),
    then one `comparison` event with this call's JSON body, or one `error`."""
    started = await state.admission.acquire(deadline)
    try:
        streamed: StreamedBrief[Comparison | MultiComparison] = StreamedBrief(
            comparer.compare, requests, deadline,
            on_finished=lambda: state.admission.release(started),
            on_brief=lambda result: _record(state, result), event="comparison",
        )
    except BaseException:
        state.admission.release(started)
        raise
    first = await streamed.first_report(request)
    return event_stream(streamed, first, state.settings.shutdown_grace_s)
