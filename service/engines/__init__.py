"""Text-generation engines behind one small interface (see `base.Engine`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service.engines.base import Engine
    from service.settings import Settings


def load_engine(settings: Settings) -> Engine:
    """The engine the settings ask for. Imported lazily: torch loads only when a model does."""
    from service.engines.transformers_engine import TransformersEngine

    return TransformersEngine.load(settings)
