"""Structured logs: one JSON object a line, carrying the request id of the request in hand."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message"}
# pydantic puts the value it rejected into its error text: `[type=..., input_value='<the
# article...>', input_type=str]`, one line (the value is a repr). The value runs to the last
# `, input_type=...]` of the line, since the article itself may contain that text.
_INPUT_VALUE = re.compile(r"input_value=.*?(, input_type=[^\s\]]*\])?$", re.MULTILINE)
WITHHELD = "<withheld: BRIEF_LOG_CONTENT is off>"


def withhold_inputs(text: str) -> str:
    """The text with every pydantic `input_value=...` replaced: a validation error raised on a
    request or a model output would otherwise put article text into the logs."""
    return _INPUT_VALUE.sub(lambda m: f"input_value={WITHHELD}{m.group(1) or ''}", text)


class JsonFormatter(logging.Formatter):
    """`log_content`: whether tracebacks and messages may carry the inputs that errors
    quote (BRIEF_LOG_CONTENT); off, they are withheld."""

    def __init__(self, log_content: bool = False) -> None:
        super().__init__()
        self.log_content = log_content

    def _clean(self, text: str) -> str:
        return text if self.log_content else withhold_inputs(text)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": self._clean(record.getMessage()),
            "request_id": REQUEST_ID.get(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self._clean(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = self._clean(self.formatStack(record.stack_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: str, log_content: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter(log_content))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
