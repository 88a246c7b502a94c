"""How central each sentence is to its article, by TF-IDF: cheap, needs no model, and knows
only the article's own words (sentence embeddings also see paraphrase; engines/
sentence_embeddings.py)."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


class TfidfCentrality:
    """Cosine of each sentence's TF-IDF vector (sublinear term frequency, idf over the
    article's own sentences) to the article's centroid."""

    name = "tfidf"

    def centrality(self, sentences: list[str]) -> list[float]:
        if not sentences:
            return []
        try:
            vectors = TfidfVectorizer(sublinear_tf=True).fit_transform(sentences)
        except ValueError:  # no word in any sentence (digits and punctuation only)
            return [0.0] * len(sentences)
        centroid = np.asarray(vectors.mean(axis=0)).ravel()
        norm = float(np.linalg.norm(centroid))
        if norm == 0.0:
            return [0.0] * len(sentences)
        return [float(x) for x in vectors @ (centroid / norm)]
