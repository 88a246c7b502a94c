"""The engine interface: what the brief pipeline needs from a language model, nothing more."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

TokenListener = Callable[[int, bool], None]
"""Told a call's tokens written so far, and True once the call has finished. Called from the
engine's own thread, possibly after every token: it must be cheap, and it must not raise
(an engine logs and ignores what it raises)."""


@dataclass(frozen=True)
class GenerationRequest:
    messages: list[dict[str, str]]
    json_schema: dict[str, Any] | None = None
    """When given, the output is constrained to JSON valid under this schema."""
    max_new_tokens: int = 512
    repetition_penalty: float = 1.0
    cancel: threading.Event | None = None
    """Set it to stop generation at the next token; generate() then raises Cancelled."""
    on_tokens: TokenListener | None = None
    """Progress for whoever waits on the brief (the streaming endpoint): see TokenListener."""


@dataclass(frozen=True)
class GenerationResult:
    text: str
    input_tokens: int
    output_tokens: int
    prefill_ms: float
    total_ms: float
    truncated: bool
    """True when generation stopped at max_new_tokens rather than at the end of the output."""
    decode_ms: float = 0.0
    forward_steps: int = 0
    """Decode passes over the model; fewer than output_tokens when forced tokens go together."""
    queued_ms: float = 0.0
    cached_prefix_tokens: int = 0


@dataclass(frozen=True)
class EngineInfo:
    name: str
    source: str
    location: str
    parameters: dict[str, Any] = field(default_factory=dict)
    kind: str = "local"
    """`local` (the model runs in this process) or `openai` (a model server's API)."""


@runtime_checkable
class Engine(Protocol):
    """A loaded model that turns chat messages into text. Blocking; callers run it off-loop."""

    @property
    def info(self) -> EngineInfo: ...

    def count_tokens(self, text: str) -> int: ...

    def health(self) -> str | None:
        """None when the engine can take requests now; otherwise why not (a model server
        that does not answer). Cheap: /readyz asks it on every probe."""
        ...

    def generate(self, request: GenerationRequest) -> GenerationResult: ...

    def generate_batch(self, requests: list[GenerationRequest]) -> list[GenerationResult]:
        """Several requests at once (the parts of a long article); an engine may batch them."""
        ...

    def close(self) -> None:
        """Stops the engine's worker threads and frees what it holds; called once, by whoever
        built the engine, after the last request."""
        ...
