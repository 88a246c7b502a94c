"""Which sites may talk to the service from a browser: a `Host` check against DNS rebinding
and an `Origin` check against cross-site writes.

With no API key, any page a user opens could otherwise POST `text/plain` to
`http://127.0.0.1:8000/v1/briefs` (a "simple" request: no CORS preflight), or rebind its own
name to 127.0.0.1 and read `/v1/jobs` as a same-origin page. A rebound request still carries
the attacker's name in `Host`, and a cross-site write carries the other page's `Origin`.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from service.errors import BriefError, CrossOriginRefused, HostNotAllowed
from service.http.error_handlers import error_response

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})
PROBE_PATHS = frozenset({"/healthz", "/readyz"})
"""Exempt from the host check: a kubelet probes a pod by its address."""
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def host_name(host: str) -> str:
    """The name of a `Host` value without its port: `[::1]:8000` -> `[::1]`."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class HostGuard:
    """Plain ASGI: 400 for a `Host` not allowed, 403 for a write from a foreign `Origin`."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: list[str],
                 allowed_origins: list[str]) -> None:
        self.app = app
        self.any_host = "*" in allowed_hosts
        self.hosts = LOOPBACK_HOSTS | {host_name(h) for h in allowed_hosts}
        self.origins = frozenset(allowed_origins)

    def _refusal(self, scope: Scope) -> BriefError | None:
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not self.any_host and scope["path"] not in PROBE_PATHS \
                and host_name(host) not in self.hosts:
            return HostNotAllowed(
                "this service does not answer to that host name; add it to BRIEF_ALLOWED_HOSTS"
            )
        origin = headers.get("origin")
        if origin is not None and scope["method"] not in _READS:
            given = origin.strip().lower().rstrip("/")
            # The service's own origin: the page it serves sends its writes with it.
            own = given.partition("://")[2] == host.strip().lower()
            if not own and given not in self.origins:
                return CrossOriginRefused(
                    "writes from pages of another origin are refused; add it to "
                    "BRIEF_ALLOWED_ORIGINS"
                )
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = self._refusal(scope)
            if refusal is not None:
                await error_response(refusal)(scope, receive, send)
                return
        await self.app(scope, receive, send)
