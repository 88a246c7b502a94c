"""The public contract of a comparison: the request (two to four articles, each as
`/v1/briefs` takes one) and the answer (for two articles, `a`/`b`, `shared` with
`evidence_a`/`evidence_b`, `only_a`/`only_b`; for more, lists per article)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from service.schemas import Brief

MIN_ARTICLES = 2
MAX_ARTICLES = 4


class EvidenceSpan(BaseModel):
    start: int = Field(..., ge=0, description="Offset in the article's text, in Unicode code "
                       "points (Python string indices), as in a brief.")
    end: int = Field(..., ge=0, description="End offset (exclusive).")
    text: str = Field(..., description="The article's own characters at [start, end).")


class SharedPoint(BaseModel):
    text: str = Field(..., description="What the first article says of it, verbatim.")
    texts: list[str | None] = Field(
        ..., description="What each article says of it, verbatim (null: that article does "
        "not report it)."
    )
    terms: list[str] = Field(default_factory=list,
                             description="The words that tie the articles' points together.")
    evidence_a: list[EvidenceSpan] | None = None
    evidence_b: list[EvidenceSpan] | None = None
    evidence: list[list[EvidenceSpan]] | None = Field(
        None, description="With more than two articles: the spans in each article, in order "
        "(an empty list where that article does not report it).")


class OnlyPoint(BaseModel):
    text: str = Field(..., description="The point, verbatim.")
    kind: str = Field(..., description='"point": a sentence or clause no other article '
                      'reports; "detail": what this article adds to a shared point, phrases '
                      "whose words no other article uses (`shared_index` names the point).")
    shared_index: int | None = None
    evidence: list[EvidenceSpan]


class Difference(BaseModel):
    field: str = Field(..., description="tone, event_type, date, location, participants or "
                       "agreement.")
    a: Any = None
    b: Any = None
    values: list[Any] | None = Field(None, description="With more than two articles: each "
                                     "article's value, in order.")
    evidence_a: list[EvidenceSpan] | None = None
    evidence_b: list[EvidenceSpan] | None = None


class CompareMeta(BaseModel):
    latency_ms: int
    briefs_ms: int = Field(..., description="Writing the briefs, all articles as one batch.")
    align_ms: int
    points: list[int] = Field(..., description="Points (sentences and clauses) per article.")
    similarity: str = Field(..., description="How points were matched: tfidf (the "
                            "specificity of the words they share).")


class Comparison(BaseModel):
    """Two articles compared (the shape `compare_score.py` documents)."""

    same_event: bool
    same_event_reason: str
    a: Brief
    b: Brief
    shared: list[SharedPoint]
    only_a: list[OnlyPoint]
    only_b: list[OnlyPoint]
    differences: list[Difference]
    meta: CompareMeta


class MultiComparison(BaseModel):
    """Three or four articles compared: `briefs` and `only` per article, in request order;
    `same_event` is true when every article reports the same event as the first."""

    same_event: bool
    same_event_reason: str
    briefs: list[Brief]
    shared: list[SharedPoint]
    only: list[list[OnlyPoint]]
    differences: list[Difference]
    meta: CompareMeta
