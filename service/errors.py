"""Domain errors. Each carries a stable code and the HTTP status it maps to at the edge."""

from __future__ import annotations


class BriefError(Exception):
    """Base of every error the service reports to a client."""

    code = "internal_error"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(BriefError):
    code = "invalid_input"
    status = 422


class MalformedRequest(BriefError):
    code = "malformed_request"
    status = 400


class UnsupportedMediaType(BriefError):
    code = "unsupported_media_type"
    status = 415


class InputTooLarge(BriefError):
    code = "input_too_large"
    status = 413


class GenerationFailed(BriefError):
    """The model's output could not be turned into a valid brief, even after a retry."""

    code = "generation_failed"
    status = 502


class EngineUnavailable(BriefError):
    code = "engine_unavailable"
    status = 503


class ModelSourceError(Exception):
    """BRIEF_MODEL names something that cannot be loaded; reported as one line at start-up."""


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def install_error_handlers(app: object) -> None:
    """Render every error as {"error": {"code", "message"}}; never a stack trace."""
    import logging

    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException

    assert isinstance(app, FastAPI)
    log = logging.getLogger("service.errors")

    @app.exception_handler(BriefError)
    async def _brief_error(request: Request, exc: BriefError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status)

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


def describe_validation(errors: object) -> str:
    """One readable line from pydantic's error list."""
    parts = []
    for error in errors if isinstance(errors, list) else []:
        location = ".".join(str(x) for x in error.get("loc", ()) if x != "body")
        message = str(error.get("msg", "invalid"))
        parts.append(f"{location}: {message}" if location else message)
    return "; ".join(parts) or "invalid request"
