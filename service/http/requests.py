"""Reading requests: bodies read within their size limits, decoded and parsed with a clear
4xx for whatever is wrong (413 too large, 400 not UTF-8 or not JSON, 415 a media type not
taken, 422 a field), and turned into the articles the pipeline takes. Used by the brief,
compare and job routes alike, so an article is checked the same way wherever it comes in."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.requests import ClientDisconnect

from service.compare.schemas import MAX_ARTICLES, MIN_ARTICLES
from service.errors import (
    ClientClosedRequest,
    InputTooLarge,
    InvalidInput,
    MalformedRequest,
    UnsupportedMediaType,
    too_large,
)
from service.http.error_handlers import describe_validation
from service.schemas import HTML_SIZE_FACTOR, BriefRequest

# JSON framing and escapes can make the body several times longer than the text it carries.
_BODY_OVERHEAD = 6


def media_type(request: Request) -> str:
    """The body's media type, lower case, without its parameters ("" when none is sent)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


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


async def read_brief_request(request: Request, max_chars: int) -> BriefRequest:
    """`POST /v1/briefs`'s article: a JSON object, or the text or HTML itself as the body
    with the other fields as query parameters."""
    sent = media_type(request)
    if sent not in ("application/json", "text/plain", "text/html"):
        raise UnsupportedMediaType(
            f"content type {sent or '(none)'!r} is not supported; "
            "send application/json, text/plain or text/html"
        )
    decoded = utf8(await read_body(request, max_chars))
    if sent in ("text/plain", "text/html"):
        field = "text" if sent == "text/plain" else "html"
        if {"text", "html"} & set(request.query_params):
            raise InvalidInput(f"with a {sent} body, the article is the body, not a query "
                               "parameter")
        return brief_request({field: decoded, **dict(request.query_params)}, max_chars)
    payload = parse_json(decoded)
    if not isinstance(payload, dict):
        raise InvalidInput("body must be a JSON object with a 'text' field")
    return brief_request(payload, max_chars)


def utf8(body: bytes | bytearray) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRequest(f"body is not valid UTF-8 (byte {exc.start})") from exc


def parse_json(text: str) -> object:
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


def compare_requests(payload: object, max_chars: int, where: str = "") -> list[BriefRequest]:
    """The articles of a compare request, each checked as a brief's request is (413 for one
    too long, 422 naming the article and its field). `where` names the request in messages
    (a compare item of a job: "items[2].")."""
    if not isinstance(payload, dict):
        raise InvalidInput(f"{where.rstrip('.')}: must be an object with an 'articles' list"
                           if where else "body must be a JSON object with an 'articles' list")
    extra = sorted(set(payload) - {"articles"})
    if extra:
        raise InvalidInput(f"{where}unknown field(s) {', '.join(map(repr, extra))}; send "
                           "{\"articles\": [...]}")
    articles = payload.get("articles")
    if not isinstance(articles, list):
        raise InvalidInput(f"{where}articles: must be a list of 2 to 4 articles, each as "
                           "/v1/briefs takes one")
    if not MIN_ARTICLES <= len(articles) <= MAX_ARTICLES:
        raise InvalidInput(f"{where}articles: send {MIN_ARTICLES} to {MAX_ARTICLES} articles "
                           f"to compare, not {len(articles)}")
    requests = []
    for index, article in enumerate(articles):
        named = f"{where}articles[{index}]."
        if not isinstance(article, dict):
            raise InvalidInput(f"{named.rstrip('.')}: must be an object with a 'text' or "
                               "'html' field")
        requests.append(brief_request(article, max_chars, named))
    return requests


async def read_compare_requests(request: Request, max_chars: int) -> list[BriefRequest]:
    """`POST /v1/compare`'s articles, from a JSON body of up to MAX_ARTICLES articles' size."""
    sent = media_type(request)
    if sent != "application/json":
        raise UnsupportedMediaType(f"content type {sent or '(none)'!r} is not supported; "
                                   "send application/json")
    body = await read_body(request, max_chars, body_limit(max_chars) * MAX_ARTICLES)
    return compare_requests(parse_json(utf8(body)), max_chars)
