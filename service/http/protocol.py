"""The HTTP protocol `brief serve` runs: uvicorn's httptools protocol with a deadline and a
size bound for a request's headers, and a JSON answer when the connection bound is reached.

uvicorn times out idle keep-alive connections, but not a connection that never sends a
request, nor one that trickles its headers a byte at a time: without a deadline a few such
clients hold connections (and BRIEF_MAX_CONNECTIONS places) for ever. Nor does it bound the
headers' size: 200 MB of headers were read into memory, and answered 200.

A connection counts toward BRIEF_MAX_CONNECTIONS (uvicorn's `limit_concurrency`, which counts
every open socket) only once its request line has arrived, and one that sends none within
BRIEF_REQUEST_LINE_TIMEOUT_S is closed: 64 sockets that send nothing, reopened every few
seconds, held every place and every real request got 503.

Why a subclass of uvicorn's (private) httptools protocol, and not uvicorn's options or an
ASGI middleware (looked at again for issue 33, uvicorn 0.54): every one of these limits acts
before an ASGI app is called. A middleware is first called once a request's headers are all
parsed, so it cannot time out a socket that sends nothing or trickles its headers, cannot
stop headers being read into memory, and cannot leave a silent socket out of the connection
count. uvicorn's own options do not cover them: `timeout_keep_alive` times only the wait
between requests; `h11_max_incomplete_event_size` bounds headers for the h11 protocol alone
(answered as plain text, and h11 is the slower parser); `limit_concurrency` counts every
open socket and answers in plain text. Passing a protocol class as `http=` is uvicorn's
public way to change the protocol; the hooks overridden here (`on_url`, `on_header`,
`send_400_response`, `_start_asgi_task`) are its internals, so uvicorn is pinned exactly and
tests/test_http_hardening.py holds each behaviour (a silent socket, a slow request line,
trickled and oversized headers, the JSON 503 at the bound): an upgrade that moves them
fails there, not in production.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.flow_control import service_unavailable
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.errors import BriefError, HeadersTooLarge, RequestTimeout, TooManyConnections
from service.http.error_handlers import error_body, error_response

# Request line and headers together; nginx allows 32 kB, uvicorn's h11 protocol 16 kB.
MAX_HEADER_BYTES = 64 * 1024


def _raw_response(error: BriefError, reason: str) -> bytes:
    """A whole response, for when no ASGI cycle exists yet to send one."""
    body = json.dumps(error_body(error.code, error.message)).encode()
    head = (
        f"HTTP/1.1 {error.status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


_HEADERS_TOO_SLOW = _raw_response(RequestTimeout(
    "the request headers did not arrive in time (BRIEF_HEADER_TIMEOUT_S)"
), "Request Timeout")
_HEADERS_TOO_LARGE = _raw_response(HeadersTooLarge(
    f"the request line and headers are over {MAX_HEADER_BYTES:,} bytes"
), "Request Header Fields Too Large")


async def too_many_connections(scope: Scope, receive: Receive, send: Send) -> None:
    """uvicorn's own answer at the connection bound is plain text; the service's is JSON."""
    refusal = TooManyConnections(
        "the server has too many open connections (BRIEF_MAX_CONNECTIONS); retry shortly",
        headers={"Retry-After": "1", "Connection": "close"},
    )
    await error_response(refusal)(scope, receive, send)


class BoundedHttpProtocol(HttpToolsProtocol):
    """A request's headers must all arrive within `header_timeout_s` of the connection
    opening (first request) or of the request's first byte (later ones), and be at most
    MAX_HEADER_BYTES long."""

    header_timeout_s: float = 10.0
    request_line_timeout_s: float = 2.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._line_timer: asyncio.TimerHandle | None = None
        self._request_begun = False
        self._header_bytes = 0
        self._headers_too_large = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # Not counted until it says what it wants (see _request_line_arrived).
        self.connections.discard(self)
        self._line_timer = self.loop.call_later(self.request_line_timeout_s, self._line_late)
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        self._cancel_line_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._line_timer is not None and b"\n" in data:
            self._request_line_arrived()
        super().data_received(data)

    def _request_line_arrived(self) -> None:
        """The first request's line is in (a line break has arrived): from now on the
        connection holds a place, and shutdown waits for it."""
        if self._line_timer is not None:
            self._cancel_line_timer()
            self.connections.add(self)

    def _cancel_line_timer(self) -> None:
        if self._line_timer is not None:
            self._line_timer.cancel()
            self._line_timer = None

    def _line_late(self) -> None:
        self._line_timer = None
        if not self.transport.is_closing():
            self.transport.close()  # nothing asked, so nothing to answer

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._request_begun = True
        self._header_bytes = 0
        self._arm_header_timer()  # a later request on a kept-alive connection

    def on_url(self, url: bytes) -> None:
        self._count_header_bytes(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_header_bytes(len(name) + len(value))
        super().on_header(name, value)

    def _count_header_bytes(self, size: int) -> None:
        self._header_bytes += size
        if self._header_bytes > MAX_HEADER_BYTES:
            # Raising stops the parser; uvicorn then answers through send_400_response.
            self._headers_too_large = True
            raise HeadersTooLarge("request headers too large")

    def send_400_response(self, msg: str) -> None:
        if self._headers_too_large:
            self._refuse(_HEADERS_TOO_LARGE)
        else:
            super().send_400_response(msg)

    def on_headers_complete(self) -> None:
        self._request_line_arrived()
        self._cancel_header_timer()
        self._request_begun = False
        super().on_headers_complete()

    def _start_asgi_task(self, cycle: Any, app: Any) -> None:
        # uvicorn picks its plain-text 503 when BRIEF_MAX_CONNECTIONS is reached.
        chosen: Any = too_many_connections if app is service_unavailable else app
        super()._start_asgi_task(cycle, chosen)

    def _arm_header_timer(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout_s, self._headers_late)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if self._request_begun:
            self._refuse(_HEADERS_TOO_SLOW)
        elif not self.transport.is_closing():
            self.transport.close()  # it never sent a byte: nobody to tell

    def _refuse(self, response: bytes) -> None:
        """Answer and close. Nothing is written into a response still in progress on the
        connection (the refused request was pipelined behind it): that one is just cut."""
        if self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete:
            self.transport.write(response)
        self.transport.close()


def bounded_protocol(
    header_timeout_s: float, request_line_timeout_s: float = 2.0,
) -> type[BoundedHttpProtocol]:
    """The protocol class uvicorn is given (`http=`), with its deadlines set."""
    return type("BriefHttpProtocol", (BoundedHttpProtocol,), {
        "header_timeout_s": header_timeout_s, "request_line_timeout_s": request_line_timeout_s,
    })
