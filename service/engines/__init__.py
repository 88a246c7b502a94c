"""Text-generation engines behind one small interface (see `base.Engine`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service.engines.base import Engine
    from service.engines.sentence_embeddings import EmbeddingCentrality
    from service.settings import Settings


def load_engine(settings: Settings) -> Engine:
    """The engine the settings ask for. Imported lazily: torch loads only when a model does,
    and not at all for a model server's engine."""
    if settings.engine == "openai":
        from service.engines.openai_engine import OpenAICompatibleEngine

        return OpenAICompatibleEngine.load(settings)
    from service.engines.transformers_engine import TransformersEngine

    return TransformersEngine.load(settings)


def load_centrality(settings: Settings) -> EmbeddingCentrality | None:
    """The long-article selection's salience measure (`BRIEF_SALIENCE`): sentence embeddings,
    loaded now; None for TF-IDF, which the pipeline makes itself."""
    if settings.salience != "embeddings":
        return None
    from service.engines.sentence_embeddings import load_embedding_centrality

    return load_embedding_centrality("cuda" if settings.device == "cuda" else "cpu")
