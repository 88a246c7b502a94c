"""The fields two or more briefs of one event state differently: the tone, the kind of event,
its date and place, who took part, and an agreement one side claims that no other side's
text reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from service.compare.same_event import same_person
from service.compare.schemas import Difference, EvidenceSpan
from service.schemas import Brief

SpanOf = Callable[[int, int, int], EvidenceSpan]
"""(article, start, end) -> the evidence span in that article's text."""


def _difference(field: str, values: list[Any], spans: list[list[EvidenceSpan]] | None = None,
                ) -> Difference:
    if len(values) == 2:
        return Difference(field=field, a=values[0], b=values[1],
                          evidence_a=spans[0] if spans else None,
                          evidence_b=spans[1] if spans else None)
    return Difference(field=field, values=values)


def field_differences(
    briefs: list[Brief], tone_evidence: list[list[EvidenceSpan]],
) -> list[Difference]:
    """The event's fields where the briefs disagree, each brief's value in order. The tone is
    always given, with the sentences that say how the talks went: how each side tells it is
    what a reader compares first."""
    out = [_difference("tone", [b.tone for b in briefs], tone_evidence)]
    for field, values in (
        ("event_type", [b.event.type for b in briefs]),
        ("date", [b.event.date.isoformat() if b.event.date else None for b in briefs]),
        ("location", [b.event.location for b in briefs]),
    ):
        if len(set(values)) > 1:
            out.append(_difference(field, values))
    named = [[p.name for p in b.participants] for b in briefs]
    alone = [[n for n in names if not any(same_person(n, m) for other in named
                                          if other is not names for m in other)]
             for names in named]
    if any(alone):
        out.append(_difference("participants_named_by_one", alone))
    return out


def _overlaps(start: int, end: int, ranges: set[tuple[int, int]]) -> bool:
    return any(s < end and start < t for s, t in ranges)


def claimed_agreements(
    briefs: list[Brief], one_sided: list[set[tuple[int, int]]],
    shared: list[set[tuple[int, int]]], span_of: SpanOf,
) -> list[Difference]:
    """Each agreement of a brief whose sentence stands among that article's one-sided points
    and in none of its shared ones: an agreement the other texts do not report.
    `one_sided[k]` and `shared[k]` hold the character ranges of article k's points."""
    out: list[Difference] = []
    for k, brief in enumerate(briefs):
        for index, agreement in enumerate(brief.agreements):
            spans = [e for e in brief.evidence if e.field == f"agreements[{index}]"]
            inside = [e for e in spans if _overlaps(e.start, e.end, one_sided[k])
                      and not _overlaps(e.start, e.end, shared[k])]
            if not spans or not inside:
                continue
            values: list[Any] = [None] * len(briefs)
            values[k] = agreement
            evidence: list[list[EvidenceSpan]] = [[] for _ in briefs]
            evidence[k] = [span_of(k, e.start, e.end) for e in inside]
            out.append(_difference("agreement", values, evidence))
    return out
