"""Domain errors. Each carries a stable code and the HTTP status it maps to at the edge."""

from __future__ import annotations


class BriefError(Exception):
    """Base of every error the service reports to a client."""

    code = "internal_error"
    status = 500

    def __init__(self, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


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


def too_large(what: str, length: int, limit: int) -> InputTooLarge:
    return InputTooLarge(
        f"{what} is {length:,} characters; the limit is {limit:,} characters "
        "(BRIEF_MAX_INPUT_CHARS)"
    )


class RequestTimeout(BriefError):
    """The request body did not arrive within BRIEF_BODY_READ_TIMEOUT_S (a slow or stalled
    client); the connection is closed after the answer."""

    code = "request_timeout"
    status = 408


class HeadersTooLarge(BriefError):
    """The request line and headers are over the server's bound (answered by the protocol,
    before any route)."""

    code = "headers_too_large"
    status = 431


class TooManyConnections(BriefError):
    """BRIEF_MAX_CONNECTIONS connections are open: new requests are refused at once."""

    code = "too_many_connections"
    status = 503


class GenerationFailed(BriefError):
    """The model's output could not be turned into a valid brief, even after a retry."""

    code = "generation_failed"
    status = 502


class EngineUnavailable(BriefError):
    code = "engine_unavailable"
    status = 503


class Overloaded(BriefError):
    """Every generation slot and queue place is taken: come back in `retry_after_s`."""

    code = "overloaded"
    status = 429

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class JobQueueFull(BriefError):
    """A job would pass a cap on articles waiting in jobs (the key's or everyone's); its
    headers carry Retry-After."""

    code = "job_queue_full"
    status = 429


class StorageFull(BriefError):
    """The job store cannot write: its disk (or database) is full."""

    code = "storage_full"
    status = 507


class StoreUnavailable(BriefError):
    """The job store does not answer (a PostgreSQL down or unreachable): jobs wait, briefs
    still work."""

    code = "job_store_unavailable"
    status = 503


class DeadlineExceeded(BriefError):
    code = "timeout"
    status = 504


class Unauthorized(BriefError):
    code = "unauthorized"
    status = 401


class NotFound(BriefError):
    code = "not_found"
    status = 404


class HostNotAllowed(BriefError):
    """A `Host` the service does not answer to (DNS rebinding: BRIEF_ALLOWED_HOSTS)."""

    code = "host_not_allowed"
    status = 400


class CrossOriginRefused(BriefError):
    """A browser's write sent by a page of another origin (BRIEF_ALLOWED_ORIGINS)."""

    code = "cross_origin_refused"
    status = 403


class ClientClosedRequest(BriefError):
    """The client went away; nobody reads this, but logs and metrics count it apart."""

    code = "client_closed_request"
    status = 499


def stopped(reason: str | None) -> BriefError:
    """What a brief stopped by its deadline (`reason` "timeout") or by its client's leaving
    is told as: the same error for a plain call, a stream and a job's item."""
    if reason == "timeout":
        return DeadlineExceeded(
            "the brief was not ready before the deadline (BRIEF_REQUEST_TIMEOUT_S)")
    return ClientClosedRequest(f"generation stopped: {reason or 'cancelled'}")


class Cancelled(Exception):
    """Generation was stopped because the client left or the deadline passed."""


class ModelSourceError(Exception):
    """BRIEF_MODEL names something that cannot be loaded; reported as one line at start-up."""
