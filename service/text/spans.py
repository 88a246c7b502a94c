"""Where something is in the article: character offsets into the text the client sent."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def span_text(text: str, span: Span) -> str:
    return text[span.start : span.end]
