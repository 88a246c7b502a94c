"""The analyst page (`GET /` and its static files): plain HTML, CSS and one script, served by
the service itself, nothing from elsewhere. They hold no data, so they need no API key; the
page sends the key with every API call it makes."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

ASSETS = Path(__file__).parent / "assets"
STATIC_PREFIX = "/static"
# Only this origin's own files: the page works air-gapped, and a script injected through an
# article's text (shown in the page) would have nowhere to load from or send to.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

router = APIRouter()


@lru_cache(maxsize=1)
def _index_html() -> str:
    """Read once: the page ships with the package and does not change while it runs."""
    return (ASSETS / "index.html").read_text(encoding="utf-8")


@router.get("/", include_in_schema=False)
async def analyst_page() -> HTMLResponse:
    return HTMLResponse(_index_html(), headers=_PAGE_HEADERS)


class _PageFiles(StaticFiles):
    """The page's files with the page's headers: `/static/index.html` is the page itself, and
    without its policy it could be framed or run what an article smuggles in."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(_PAGE_HEADERS)
        return response


def static_files() -> StaticFiles:
    return _PageFiles(directory=ASSETS)
