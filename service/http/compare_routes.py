"""`POST /v1/compare`: two to four articles about one event, each as `/v1/briefs` takes
one, compared. Admission, deadline and cancellation are a brief's (routes.py); the articles are
read and checked by requests.py."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.brief.runner import run_brief
from service.compare.comparer import Comparer
from service.compare.request import CompareRequest
from service.compare.schemas import Comparison, MultiComparison
from service.http.deps import State
from service.http.error_handlers import error_body
from service.http.requests import read_compare_requests
from service.http.state import ServiceState
from service.http.streaming import StreamedBrief, event_stream, wants_event_stream
from service.schemas import BriefRequest

router = APIRouter()

_ERROR = {"description": "Error", "content": {"application/json": {"example": error_body(
    "invalid_input", "articles: send 2 to 4 articles to compare, not 1")}}}


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
async def compare(request: Request, state: State) -> Comparison | MultiComparison | Response:
    """Compare two to four articles about one event (two governments' readouts of one call,
    say): whether they report the same event and why, each article's brief, the points they
    share (with evidence in each text), the points only one reports, and the fields they
    state differently (tone, date, place, who took part, an agreement one side claims)."""
    settings = state.settings
    deadline = time.monotonic() + settings.request_timeout_s
    requests = await read_compare_requests(request, settings.max_input_chars)
    comparer = Comparer(state.loaded_pipeline())
    if wants_event_stream(request):
        return await _stream(request, state, comparer, requests, deadline)
    async with state.admission.slot(deadline):
        result: Comparison | MultiComparison = await run_brief(
            lambda cancel: comparer.compare(requests, cancel), deadline, request.is_disconnected)
    _record(state, result)
    return result


def _record(state: ServiceState, result: Comparison | MultiComparison) -> None:
    briefs = [result.a, result.b] if isinstance(result, Comparison) else result.briefs
    for brief in briefs:
        state.metrics.tokens_in.inc(brief.meta.input_tokens)
        state.metrics.tokens_out.inc(brief.meta.output_tokens)


async def _stream(
    request: Request, state: ServiceState, comparer: Comparer, requests: list[BriefRequest],
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
