"""Brief jobs over HTTP: `POST /v1/jobs` (one article or many; an item may be articles to
compare, whose result is the comparison) → 202 and the job's id;
`GET /v1/jobs/{id}` its status, progress and briefs; `GET /v1/jobs` the caller's jobs, newest
first, by pages; `DELETE /v1/jobs/{id}` cancels it. With API keys, a job is its key's alone:
another key's job is answered as missing."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from service.compare.request import CompareRequest
from service.compare.schemas import MAX_ARTICLES, MIN_ARTICLES
from service.errors import (
    InputTooLarge,
    InvalidInput,
    NotFound,
    UnsupportedMediaType,
)
from service.http.deps import Jobs, State
from service.http.error_handlers import error_body
from service.http.requests import (
    body_limit,
    brief_request,
    compare_requests,
    media_type,
    parse_json,
    read_body,
    utf8,
)
from service.jobs.callbacks import CallbackRefused
from service.jobs.items import RESULT_FIELD, ItemRequest, is_compare, kind_of, stored_json
from service.jobs.store import IdempotencyConflict, JobSummary, JobView, NewJob

router = APIRouter(tags=["jobs"])
_ERROR = {"description": "Error", "content": {"application/json": {"example": error_body(
    "not_found", "no such job")}}}
_MAX_IDEMPOTENCY_KEY = 255
_COMPARE_ITEM = {
    "type": "object", "required": ["articles"], "additionalProperties": False,
    "description": "Articles to compare (the body of POST /v1/compare); the item's result is "
                   "the comparison.",
    "properties": {"articles": {
        "type": "array", "items": {"$ref": "#/components/schemas/BriefRequest"},
        "minItems": MIN_ARTICLES, "maxItems": MAX_ARTICLES}},
}
_JOB_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {
        "oneOf": [
            {"$ref": "#/components/schemas/BriefRequest"},
            _COMPARE_ITEM,
            {"type": "object", "required": ["items"], "properties": {
                "items": {"type": "array", "minItems": 1, "items": {"oneOf": [
                    {"$ref": "#/components/schemas/BriefRequest"}, _COMPARE_ITEM]}},
                "callback_url": {"type": "string", "format": "uri"},
            }},
        ],
        "description": "One article (the body of POST /v1/briefs), articles to compare "
                       "(`{\"articles\": [...]}`, the body of POST /v1/compare) or "
                       "`{\"items\": [...]}` of either; each may carry `callback_url`.",
    }}},
}


def job_owner(request: Request, state: State) -> str:
    """Whose job: a hash of the caller's key (the key itself is never stored)."""
    if not state.settings.api_key_list:
        return ""
    _, _, token = request.headers.get("authorization", "").partition(" ")
    return hashlib.sha256(token.strip().encode()).hexdigest()


Owner = Annotated[str, Depends(job_owner)]


def _time(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="milliseconds")


def job_json(view: JobView) -> dict[str, Any]:
    items = []
    for item in view.items:
        entry: dict[str, Any] = {"index": item.index, "status": item.status}
        if item.kind != "brief":
            entry["kind"] = item.kind
        if item.brief is not None:
            entry[RESULT_FIELD.get(item.kind, "brief")] = item.brief
        if item.error is not None:
            entry["error"] = item.error["error"]
            entry["status_code"] = item.error["status"]
        items.append(entry)
    return {"id": view.id, "status": view.status, "created_at": _time(view.created_at),
            "updated_at": _time(view.updated_at), "finished_at": _time(view.finished_at),
            "progress": view.counts(), "items": items,
            "callback": view.callback_state}


def _summary(job: JobSummary) -> dict[str, Any]:
    return {"id": job.id, "status": job.status, "created_at": _time(job.created_at),
            "finished_at": _time(job.finished_at), "items": job.items}


def _item(fields: dict[str, Any], max_chars: int, where: str = "") -> ItemRequest:
    """One item, checked as `POST /v1/briefs` (an article) or `POST /v1/compare` (articles to
    compare) checks its body."""
    if is_compare(fields):
        return CompareRequest(articles=compare_requests(fields, max_chars, where))
    return brief_request(fields, max_chars, where)


def _items(payload: object, max_chars: int, max_items: int
           ) -> tuple[list[ItemRequest], str | None]:
    """The job's items and its callback."""
    if not isinstance(payload, dict):
        raise InvalidInput("body must be a JSON object: one article, articles to compare, or "
                           "{\"items\": [...]}")
    payload = dict(payload)
    callback = payload.pop("callback_url", None)
    if "items" in payload:
        items = payload.pop("items")
        if payload:
            raise InvalidInput(f"unexpected fields beside 'items': {', '.join(sorted(payload))}")
        if not isinstance(items, list) or not items:
            raise InvalidInput("items must be a non-empty list of articles")
        if len(items) > max_items:
            raise InputTooLarge(f"a job takes at most {max_items} items (BRIEF_MAX_JOB_ITEMS);"
                                f" this one has {len(items)}")
        if not all(isinstance(item, dict) for item in items):
            raise InvalidInput("every item must be a JSON object with a 'text' or 'html' field, "
                               "or an 'articles' list to compare")
        requests = [_item(item, max_chars, f"items[{i}].") for i, item in enumerate(items)]
    else:
        requests = [_item(payload, max_chars)]
    if callback is not None and not isinstance(callback, str):
        raise InvalidInput("callback_url must be a string")
    return requests, callback


@router.post("/v1/jobs", status_code=202, openapi_extra={"requestBody": _JOB_BODY},
             responses={400: _ERROR, 401: _ERROR, 413: _ERROR, 415: _ERROR, 422: _ERROR,
                        429: _ERROR, 503: _ERROR, 507: _ERROR})
async def create_job(request: Request, jobs: Jobs, state: State, owner: Owner) -> JSONResponse:
    """Brief one article or many, or compare articles, in the background; the job is stored
    before the 202.
    429 (with Retry-After) when its articles would pass the caps on articles waiting in
    jobs, the key's or everyone's; 507 when the job store is full."""
    settings = state.settings
    if media_type(request) != "application/json":
        raise UnsupportedMediaType("a job's body is JSON (application/json)")
    limit = min(settings.max_job_items * body_limit(settings.max_input_chars),
                settings.max_job_body_bytes)
    # A body near the cap is many megabytes: each form of it (bytes, text, parsed, the
    # stored items) is dropped as soon as the next exists, so at most two are held at once.
    body = await read_body(request, settings.max_input_chars, limit)
    # The raw body is what an Idempotency-Key's replay must repeat, byte for byte.
    body_sha256 = hashlib.sha256(body).hexdigest()
    text = utf8(body)
    del body
    payload = parse_json(text)
    del text
    requests, callback = _items(payload, settings.max_input_chars, settings.max_job_items)
    del payload
    if callback is not None:
        try:
            if jobs.callbacks is None:
                jobs.callback_policy.check_url(callback)  # says why: callbacks are off
                raise CallbackRefused("callbacks are off (BRIEF_ALLOW_CALLBACKS)")
            await jobs.callbacks.check(callback)
        except CallbackRefused as exc:
            raise InvalidInput(f"callback_url: {exc}") from exc
    key = request.headers.get("idempotency-key")
    if key is not None and not 0 < len(key) <= _MAX_IDEMPOTENCY_KEY:
        raise InvalidInput(f"Idempotency-Key must be 1 to {_MAX_IDEMPOTENCY_KEY} characters")
    count = len(requests)
    kinds = tuple(kind_of(item) for item in requests)
    # Each item leaves `requests` as its stored form is made: never both forms of all.
    stored = [stored_json(requests.pop(0)) for _ in range(count)]
    job = NewJob(
        owner=owner, requests=stored, body_sha256=body_sha256,
        idempotency_key=key, callback_url=callback, kinds=kinds,
    )
    del stored
    try:
        job_id, created = await run_in_threadpool(jobs.store.create, job)
    except IdempotencyConflict as exc:
        raise InvalidInput("Idempotency-Key was used before with a different body") from exc
    if created:
        jobs.runner.notify()
        await run_in_threadpool(jobs.changed)
    headers = {"Location": f"/v1/jobs/{job_id}"}
    if not created:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse({"id": job_id, "status": "queued" if created else "existing",
                         "items": count}, status_code=202, headers=headers)


@router.get("/v1/jobs/{job_id}", responses={401: _ERROR, 404: _ERROR, 503: _ERROR})
async def get_job(jobs: Jobs, owner: Owner, job_id: str) -> dict[str, Any]:
    """A job's status, its per-item progress, and each item's brief or error."""
    view = await run_in_threadpool(jobs.store.get, job_id, owner)
    if view is None:
        raise NotFound("no such job")
    return job_json(view)


@router.get("/v1/jobs", responses={401: _ERROR, 422: _ERROR, 503: _ERROR})
async def list_jobs(
    jobs: Jobs, owner: Owner, limit: int = Query(20, ge=1, le=100),
    cursor: str | None = Query(None, max_length=512),
) -> dict[str, Any]:
    """The caller's jobs, newest first; `next_cursor` asks for the page after."""
    try:
        found, after = await run_in_threadpool(jobs.store.list_jobs, owner, limit, cursor)
    except ValueError as exc:
        raise InvalidInput(f"cursor: {exc}") from exc
    return {"jobs": [_summary(job) for job in found], "next_cursor": after}


@router.delete("/v1/jobs/{job_id}", responses={401: _ERROR, 404: _ERROR, 503: _ERROR})
async def cancel_job(jobs: Jobs, owner: Owner, job_id: str) -> dict[str, Any]:
    """Cancels a job: queued items are not briefed, a running one is stopped. Briefs already
    made stay until the job's retention ends."""
    view = await run_in_threadpool(jobs.store.cancel, job_id, owner)
    if view is None:
        raise NotFound("no such job")
    jobs.runner.cancel(job_id)
    await run_in_threadpool(jobs.changed)
    return job_json(view)
