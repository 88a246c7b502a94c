"""Request id, API keys, access log and request metrics, as one plain ASGI middleware
(plain ASGI so that a route can still notice when its client disconnects)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
import uuid
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import BriefError, Unauthorized
from service.handlers import error_response
from service.logs import REQUEST_ID
from service.metrics import Metrics

log = logging.getLogger("service.access")
OPEN_PATHS = {"/healthz", "/readyz"}
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


class ServiceMiddleware:
    def __init__(self, app: ASGIApp, *, api_keys: list[str], metrics: Metrics) -> None:
        self.app = app
        self.key_digests = [_digest(k) for k in api_keys]
        self.metrics = metrics

    def _authorized(self, headers: Headers) -> bool:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return False
        given = _digest(token.strip())
        # Compare against every key, always: timing does not tell which key nearly matched.
        matches = [hmac.compare_digest(given, key) for key in self.key_digests]
        return any(matches)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        given_id = headers.get("x-request-id", "")
        request_id = given_id if _SAFE_ID.match(given_id) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        state: dict[str, Any] = {"status": 500, "bytes_in": 0, "bytes_out": 0}

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["bytes_in"] += len(message.get("body", b""))
            return message

        async def tagging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                state["status_started"] = True
                MutableHeaders(scope=message).append("X-Request-ID", request_id)
            elif message["type"] == "http.response.body":
                state["bytes_out"] += len(message.get("body", b""))
            await send(message)

        try:
            if self.key_digests and scope["path"] not in OPEN_PATHS and not self._authorized(headers):
                refusal = error_response(Unauthorized(
                    "a valid API key is required: Authorization: Bearer <key>",
                    headers={"WWW-Authenticate": "Bearer"},
                ))
                await refusal(scope, receive, tagging_send)
            else:
                await self.app(scope, counting_receive, tagging_send)
        except Exception:
            # Caught here, inside the request id, so the log line and the answer carry it.
            log.exception("unexpected error", extra={"route": scope["path"]})
            if "status_started" not in state:
                await error_response(BriefError("an unexpected error occurred; it has been logged"))(
                    scope, receive, tagging_send
                )
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or (
                scope["path"] if scope["path"] in OPEN_PATHS else "unmatched"
            )
            status = str(state["status"])
            self.metrics.requests.labels(route, scope["method"], status).inc()
            self.metrics.latency.labels(route).observe(elapsed)
            log.info(
                "request",
                extra={
                    "method": scope["method"], "route": route, "status": state["status"],
                    "duration_ms": round(elapsed * 1000, 1), "bytes_in": state["bytes_in"],
                    "bytes_out": state["bytes_out"], **state.get("extra", {}),
                },
            )
            REQUEST_ID.reset(token)
