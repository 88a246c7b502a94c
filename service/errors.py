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
