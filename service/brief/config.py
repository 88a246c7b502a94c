"""What a brief pipeline is configured with: limits and choices taken from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from service.settings import Settings


@dataclass(frozen=True)
class PipelineConfig:
    max_input_chars: int
    max_input_tokens: int
    max_new_tokens: int
    repetition_penalty: float
    abstractive_summary: bool = False
    translate_sentences: bool = False
    long_mode: Literal["select", "parts"] = "select"
    """settings.long_mode"""
    long_read_tokens: int = 3000

    @classmethod
    def from_settings(cls, settings: Settings) -> PipelineConfig:
        return cls(
            settings.max_input_chars, settings.max_input_tokens, settings.max_new_tokens,
            settings.repetition_penalty, settings.abstractive_summary,
            settings.translation == "checked", settings.long_mode, settings.long_read_tokens,
        )
