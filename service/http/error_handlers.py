"""The one place errors become HTTP responses: {"error": {"code", "message"}}, no traces."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from service.errors import BriefError, Overloaded

log = logging.getLogger("service.errors")
_MAX_LISTED_PROBLEMS = 5


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def error_response(exc: BriefError) -> JSONResponse:
    headers = dict(exc.headers)
    if isinstance(exc, Overloaded):
        headers["Retry-After"] = str(exc.retry_after_s)
    return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status,
                        headers=headers or None)


def describe_validation(errors: Any) -> str:
    """One readable line from pydantic's error list (the first few problems)."""
    parts = []
    for error in errors if isinstance(errors, list) else []:
        location = ".".join(str(x) for x in error.get("loc", ()) if x != "body")
        message = str(error.get("msg", "invalid"))
        parts.append(f"{location}: {message}" if location else message)
    more = len(parts) - _MAX_LISTED_PROBLEMS
    line = "; ".join(parts[:_MAX_LISTED_PROBLEMS]) or "invalid request"
    return f"{line}; and {more} more problems" if more > 0 else line


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BriefError)
    async def _brief_error(request: Request, exc: BriefError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            error_body("invalid_request", describe_validation(exc.errors())), status_code=422
        )

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(
            error_body("internal_error", "an unexpected error occurred; it has been logged"),
            status_code=500,
        )
