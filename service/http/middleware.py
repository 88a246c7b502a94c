"""Request id, API keys, access log, request metrics and the request body's deadline, as one
plain ASGI middleware (plain ASGI so that a route can still notice when its client
disconnects)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import time
import uuid
from dataclasses import dataclass

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import BriefError, RequestTimeout, Unauthorized
from service.http.error_handlers import error_response
from service.http.logs import REQUEST_ID
from service.http.metrics import Metrics

log = logging.getLogger("service.access")
OPEN_PATHS = {"/healthz", "/readyz", "/"}
"""Served without an API key: the probes, and the analyst page, which holds no data."""
OPEN_PREFIX = "/static/"
"""The page's own script and style, equally free of data."""
AUTHORIZED = "authorized"
"""`request.state.authorized`: the caller gave a valid key, or the service needs none."""
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# The metric's `method` label takes these or "other": a client sending PROPFIND, PURGE or
# made-up tokens must not create new time series.
KNOWN_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"}
)
_LOGGED_METHOD_CHARS = 32


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def _is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIX)


def method_label(method: str) -> str:
    return method if method in KNOWN_METHODS else "other"


def route_label(scope: Scope) -> str:
    """A route's path template, an open path, or "unmatched": never the raw path a client sent."""
    matched = getattr(scope.get("route"), "path", None)
    if isinstance(matched, str):
        return matched
    if scope["path"].startswith(OPEN_PREFIX):
        return OPEN_PREFIX.rstrip("/")
    return scope["path"] if scope["path"] in OPEN_PATHS else "unmatched"


@dataclass
class BodyLimits:
    """How long a request body may take to arrive, and how much of an unread one is drained."""

    read_timeout_s: float = 30.0
    drain_limit_bytes: int = 64 * 1024 * 1024


@dataclass
class _Exchange:
    """What one request/response has done so far: for the log line, the metrics and the body."""

    deadline: float
    expects_body: bool
    declared_length: int | None
    expects_continue: bool
    status: int = 500
    status_started: bool = False
    bytes_in: int = 0
    bytes_out: int = 0
    body_done: bool = False
    read_started: bool = False


def _exchange(headers: Headers, limits: BodyLimits) -> _Exchange:
    declared = headers.get("content-length", "")
    length = int(declared) if declared.isdigit() else None
    expects_body = (length or 0) > 0 or "transfer-encoding" in headers
    return _Exchange(
        deadline=asyncio.get_running_loop().time() + limits.read_timeout_s,
        expects_body=expects_body,
        declared_length=length,
        expects_continue=headers.get("expect", "").lower() == "100-continue",
        body_done=not expects_body,
    )


class ServiceMiddleware:
    def __init__(
        self, app: ASGIApp, *, api_keys: list[str], metrics: Metrics,
        limits: BodyLimits | None = None,
    ) -> None:
        self.app = app
        self.key_digests = [_digest(k) for k in api_keys]
        self.metrics = metrics
        self.limits = limits or BodyLimits()

    def _authorized(self, headers: Headers) -> bool:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return False
        given = _digest(token.strip())
        # Compare against every key, always: timing does not tell which key nearly matched.
        matches = [hmac.compare_digest(given, key) for key in self.key_digests]
        return any(matches)

    async def _receive_body(self, receive: Receive, exchange: _Exchange) -> Message:
        """The next body message, within the body's deadline: a client that trickles its body
        (slowloris) gets 408 instead of holding a connection and a task for ever."""
        if exchange.body_done:
            return await receive()
        exchange.read_started = True
        try:
            async with asyncio.timeout_at(exchange.deadline):
                message = await receive()
        except TimeoutError:
            raise RequestTimeout(
                "the request body did not arrive in time (BRIEF_BODY_READ_TIMEOUT_S)",
                headers={"Connection": "close"},
            ) from None
        if message["type"] == "http.request":
            exchange.bytes_in += len(message.get("body", b""))
            exchange.body_done = not message.get("more_body", False)
        return message

    async def _drain(self, receive: Receive, exchange: _Exchange, status: int) -> bool:
        """Read and discard the body the app did not read, up to a bound, before answering.
        A client that writes its whole body before reading (urllib, requests) then reads the
        answer; a server closing with unread data would reset the connection under it.
        False: the body is not all read, so the connection must close after the answer."""
        if exchange.body_done:
            return True
        limit = self.limits.drain_limit_bytes
        too_long = exchange.declared_length is not None and exchange.declared_length > limit
        # 408: the client is too slow to wait for. 100-continue not yet granted: the client
        # has not sent the body, and reading now would only make it send it.
        unsent = exchange.expects_continue and not exchange.read_started
        if status == RequestTimeout.status or too_long or unsent:
            return False
        try:
            while exchange.bytes_in <= limit:
                message = await self._receive_body(receive, exchange)
                if message["type"] != "http.request":
                    return False  # the client went away
                if exchange.body_done:
                    return True
        except RequestTimeout:
            return False
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        given_id = headers.get("x-request-id", "")
        request_id = given_id if _SAFE_ID.match(given_id) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        exchange = _exchange(headers, self.limits)

        async def bounded_receive() -> Message:
            return await self._receive_body(receive, exchange)

        async def tagging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                exchange.status = message["status"]
                exchange.status_started = True
                response_headers = MutableHeaders(scope=message)
                response_headers.append("X-Request-ID", request_id)
                drained = await self._drain(receive, exchange, message["status"])
                if not drained and "close" not in response_headers.get("connection", "").lower():
                    response_headers.append("Connection", "close")
            elif message["type"] == "http.response.body":
                exchange.bytes_out += len(message.get("body", b""))
            await send(message)

        # The routes of open paths (/readyz) say more to a caller with a key than to a stranger.
        authorized = not self.key_digests or self._authorized(headers)
        scope.setdefault("state", {})[AUTHORIZED] = authorized
        try:
            if not authorized and not _is_open(scope["path"]):
                refusal = error_response(Unauthorized(
                    "a valid API key is required: Authorization: Bearer <key>",
                    headers={"WWW-Authenticate": "Bearer"},
                ))
                await refusal(scope, bounded_receive, tagging_send)
            else:
                await self.app(scope, bounded_receive, tagging_send)
        except Exception:
            # Caught here, inside the request id, so the log line and the answer carry it.
            log.exception("unexpected error", extra={"route": scope["path"]})
            if not exchange.status_started:
                await error_response(BriefError("an unexpected error occurred; it has been logged"))(
                    scope, bounded_receive, tagging_send
                )
        finally:
            self._record(scope, exchange, time.perf_counter() - started)
            REQUEST_ID.reset(token)

    def _record(self, scope: Scope, exchange: _Exchange, elapsed: float) -> None:
        route = route_label(scope)
        self.metrics.requests.labels(
            route, method_label(scope["method"]), str(exchange.status)
        ).inc()
        self.metrics.latency.labels(route).observe(elapsed)
        log.info(
            "request",
            extra={
                # The log line keeps the method as sent (cut short): it is for reading.
                "method": scope["method"][:_LOGGED_METHOD_CHARS], "route": route,
                "status": exchange.status, "duration_ms": round(elapsed * 1000, 1),
                "bytes_in": exchange.bytes_in, "bytes_out": exchange.bytes_out,
            },
        )
