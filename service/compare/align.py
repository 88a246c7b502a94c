"""Which points of two readouts report the same thing: the subjects (content terms,
terms.py) a point of one shares with a point of the other, weighed by how specific they are.

Two readouts of one meeting tell it in different words and at different lengths, and a
point is often shared through one subject only ("trade", "the Quad summit"): what counts
is how rare the shared subject is across both texts' points. Rarity is TF-IDF's inverse
document frequency over the points of both texts (scikit-learn), so a subject both name
once weighs most and one every point repeats ("relations") weighs little. Each point is
matched with the point of the other text it shares most with, when that is enough; a point
matched with none is its text's alone.

Sentence embeddings (all-MiniLM-L6-v2) were tried as well and left out: on readouts of one
meeting every pair of sentences is about the same two countries, and the embeddings ranked
a point's true counterpart first less often than the shared words did."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from service.compare.terms import WEAK_MARK

# Shared specificity a match needs: one subject that few points name (a subject in one point
# of each text has specificity 1.0; one in half of all points about 0.6).
MATCH = 0.8
# Points that are not each other's closest match need this much: two specific subjects, so
# that one word that means two things ("a red line", "lines of communication") does not tie
# a point to a second one.
SECOND_MATCH = 1.6
# A verb or an adjective both points use is weaker evidence than a noun (terms.WEAK_MARK).
WEAK_WEIGHT = 0.5


@dataclass(frozen=True)
class Match:
    a: int
    b: int
    score: float
    shared_terms: tuple[str, ...]


def specificity(terms_a: Sequence[list[str]], terms_b: Sequence[list[str]]) -> dict[str, float]:
    """Each term's inverse document frequency over the points of both texts, scaled so the
    rarest term is 1.0."""
    docs = [t for t in (*terms_a, *terms_b) if t]
    if not docs:
        return {}
    vectorizer = TfidfVectorizer(analyzer=lambda terms: terms, binary=True)
    vectorizer.fit(docs)
    idf = vectorizer.idf_
    top = float(idf.max())
    return {term: float(idf[i]) / top * (WEAK_WEIGHT if term.startswith(WEAK_MARK) else 1.0)
            for term, i in vectorizer.vocabulary_.items()}


def shared_score(
    terms_a: Sequence[list[str]], terms_b: Sequence[list[str]], weight: dict[str, float],
) -> np.ndarray:
    """For every point of a and point of b, the summed specificity of the terms both name."""
    score = np.zeros((len(terms_a), len(terms_b)))
    sets_b = [set(t) for t in terms_b]
    for i, terms in enumerate(terms_a):
        own = set(terms)
        for j, other in enumerate(sets_b):
            score[i, j] = sum(weight.get(t, 0.0) for t in own & other)
    return score


def align(terms_a: Sequence[list[str]], terms_b: Sequence[list[str]]) -> list[Match]:
    """Points that are each other's closest match, in rounds: a pair matched in one round
    leaves the next to the points still unmatched (the trade sentence of one text may be
    closest to a sentence that found a closer match; it is then paired with its next)."""
    weight = specificity(terms_a, terms_b)
    score = shared_score(terms_a, terms_b, weight)
    matches: list[Match] = []
    if not score.size:
        return matches

    def match(i: int, j: int) -> Match:
        common = tuple(t for t in dict.fromkeys(terms_a[i]) if t in set(terms_b[j]))
        return Match(i, j, float(score[i, j]), common)

    # Pairs that are not each other's closest: only with two subjects in common.
    for i, j in zip(*np.nonzero(score >= SECOND_MATCH), strict=True):
        matches.append(match(int(i), int(j)))
    open_a, open_b = set(range(score.shape[0])), set(range(score.shape[1]))
    while open_a and open_b:
        rows, cols = sorted(open_a), sorted(open_b)
        sub = score[np.ix_(rows, cols)]
        found = [(rows[r], cols[c]) for r, c in enumerate(sub.argmax(axis=1))
                 if sub[r, c] >= MATCH and int(sub[:, c].argmax()) == r]
        if not found:
            break
        for i, j in found:
            if not any(m.a == i and m.b == j for m in matches):
                matches.append(match(i, j))
            open_a.discard(i)
            open_b.discard(j)
    return matches
