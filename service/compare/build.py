"""From the articles' briefs to their comparison: each text's points, matched across texts,
grouped; a group that spans two or more texts is a shared point, a point in no group is its
text's alone, and what a text adds to a shared point is a detail of its own.

Everything is a span of its own text: the points are the texts' sentences and clauses,
the details their phrases, the evidence their offsets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.brief.pipeline import ArticleBrief
from service.compare.align import Match, align
from service.compare.differences import claimed_agreements, field_differences
from service.compare.novelty import novel_phrases, vocabulary
from service.compare.points import Point, is_tone_point, text_points
from service.compare.same_event import SameEvent, same_event
from service.compare.schemas import Difference, EvidenceSpan, OnlyPoint, SharedPoint
from service.compare.terms import content_stems, stop_stems, surface
from service.schemas import Brief
from service.text.article import PreparedArticle
from service.text.countries import fold, normalize_country
from service.text.spans import Span

# A paragraph of this many sentences at most makes one point (a ministry's style); a longer
# one is a readout written as one paragraph, a point a sentence.
_SHORT_PARAGRAPH_SENTENCES = 3

Node = tuple[int, int]
"""(article, point) in the comparison's articles."""


@dataclass
class Aligned:
    same: SameEvent
    points: list[list[Point]]
    shared: list[SharedPoint]
    only: list[list[OnlyPoint]]
    differences: list[Difference]


class _Groups:
    """Union-find over the articles' points."""

    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def find(self, x: Node) -> Node:
        while self.parent.setdefault(x, x) != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, x: Node, y: Node) -> None:
        self.parent[self.find(x)] = self.find(y)


def _stop_terms(articles: Sequence[ArticleBrief]) -> frozenset[str]:
    people = [p for item in articles for p in item.brief.participants]
    names = [p.name for p in people] + [p.title for p in people if p.title]
    codes = [c.code for p in people if (c := normalize_country(p.country)) is not None]
    return stop_stems(names, codes)


def _span(text: str, span: Span) -> EvidenceSpan:
    return EvidenceSpan(start=span.start, end=span.end, text=text[span.start : span.end])


def _overall_same(articles: Sequence[ArticleBrief]) -> SameEvent:
    """The first article against each other one."""
    verdicts = [same_event(articles[0].brief, other.brief) for other in articles[1:]]
    if len(verdicts) == 1:
        return verdicts[0]
    reason = "; ".join(f"article {k + 2}: {v.reason}" for k, v in enumerate(verdicts))
    return SameEvent(all(v.same for v in verdicts), reason)


def compare_articles(articles: Sequence[ArticleBrief]) -> Aligned:
    texts = [item.plan.article.text for item in articles]
    every = [text_points(item.plan.article, item.plan.extraction.header) for item in articles]
    # How the talks went is each side's tone (a difference), not a point of substance.
    tone_points = [[p for p in own if is_tone_point(p, item.plan.article.lexicon)]
                   for item, own in zip(articles, every, strict=True)]
    points = [[p for p in own if p not in tone] for own, tone in zip(every, tone_points,
                                                                      strict=True)]
    stop = _stop_terms(articles)
    terms = [[content_stems(p.tokens, stop, item.plan.extraction.country_mentions)
              for p in own] for item, own in zip(articles, points, strict=True)]
    overall = _overall_same(articles)
    groups = _Groups()
    matches: dict[tuple[Node, Node], Match] = {}
    leads = [_lead(own, item.brief) for own, item in zip(points, articles, strict=True)]
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            if not same_event(articles[i].brief, articles[j].brief).same:
                continue  # texts about different events share no point, whatever their words
            # The sentences that say who met whom report the same event: one shared point,
            # to which each adds its own circumstances ("on the invitation of the Chilean side").
            lead_i, lead_j = leads[i], leads[j]
            if lead_i is not None and lead_j is not None:
                groups.join((i, lead_i), (j, lead_j))
            for m in align(terms[i], terms[j]):
                groups.join((i, m.a), (j, m.b))
                matches[((i, m.a), (j, m.b))] = m
    members: dict[Node, list[Node]] = {}
    for k, own in enumerate(points):
        for p in range(len(own)):
            members.setdefault(groups.find((k, p)), []).append((k, p))
    vocabularies = [vocabulary(item.plan.article.doc) for item in articles]
    shared: list[SharedPoint] = []
    only: list[list[OnlyPoint]] = [[] for _ in articles]
    alone: list[list[Point]] = [[] for _ in articles]
    for nodes in sorted(members.values(), key=lambda ns: min(ns)):
        if len({k for k, _ in nodes}) < 2:
            for k, p in nodes:
                alone[k].append(points[k][p])
            continue
        index = len(shared)
        shared.append(_shared_point(nodes, points, texts, matches))
        for k in sorted({k for k, _ in nodes}):
            others = frozenset().union(*(vocabularies[o] for o in {o for o, _ in nodes} - {k}))
            for _, p in sorted(n for n in nodes if n[0] == k):
                # What a lead adds to the event is often one word ("at the request of").
                phrases = novel_phrases(points[k][p].tokens, others, stop,
                                        min_words=1 if p == leads[k] else 2)
                if phrases:
                    only[k].append(OnlyPoint(
                        text="; ".join(texts[k][s.start : s.end] for s in phrases),
                        kind="detail", shared_index=index,
                        evidence=[_span(texts[k], s) for s in phrases]))
    for k, own in enumerate(alone):
        for span in _one_sided_spans(own, articles[k].plan.article):
            only[k].append(OnlyPoint(text=" ".join(texts[k][span.start : span.end].split()),
                                     kind="point", evidence=[_span(texts[k], span)]))
    differences = field_differences(
        [item.brief for item in articles],
        [[_span(texts[k], p.span) for p in own] for k, own in enumerate(tone_points)])
    one_sided = [{(e.start, e.end) for o in own if o.kind == "point" for e in o.evidence}
                 for own in only]
    shared_ranges: list[set[tuple[int, int]]] = [set() for _ in articles]
    for point in shared:
        spans = point.evidence or [point.evidence_a or [], point.evidence_b or []]
        for k, evidence in enumerate(spans):
            shared_ranges[k] |= {(e.start, e.end) for e in evidence}
    differences += claimed_agreements([item.brief for item in articles], one_sided,
                                      shared_ranges, lambda k, s, e: _span(texts[k], Span(s, e)))
    return Aligned(overall, points, shared, only, differences)


def _lead(points: list[Point], brief: Brief) -> int | None:
    """The point that says who met whom: the first that names a participant."""
    names = [set(fold(p.name).split()) for p in brief.participants]
    for index, point in enumerate(points):
        words = set(fold(point.text).replace("’", "'").split())
        if any(name & words for name in names):
            return index
    return None


def _one_sided_spans(points: list[Point], article: PreparedArticle) -> list[Span]:
    """The one-sided points as spans: the clauses of one sentence that are all one-sided
    joined again (they were cut apart only to tell a shared clause from its neighbour), and
    so are the sentences that follow each other in a short paragraph (a ministry writes a
    point a paragraph: "X said the border is a red line. The other side must pull back.")."""
    spans: list[Span] = []
    previous: Point | None = None
    for point in sorted(points, key=lambda p: p.span.start):
        if previous is not None and (previous.sentence == point.sentence or (
                point.sentence == previous.sentence + 1
                and _short_paragraph(article, point.sentence, previous.sentence))):
            spans[-1] = Span(spans[-1].start, point.span.end)
        else:
            spans.append(point.span)
        previous = point
    return spans


def _short_paragraph(article: PreparedArticle, sentence: int, before: int) -> bool:
    paragraph = article.paragraph_at(article.sentences[sentence].start)
    if paragraph != article.paragraph_at(article.sentences[before].start):
        return False
    return sum(1 for s in article.sentences
               if article.paragraph_at(s.start) == paragraph) <= _SHORT_PARAGRAPH_SENTENCES


def _shared_point(
    nodes: list[Node], points: list[list[Point]], texts: list[str],
    matches: dict[tuple[Node, Node], Match],
) -> SharedPoint:
    per_article: list[list[Point]] = [[] for _ in points]
    for k, p in sorted(nodes):
        per_article[k].append(points[k][p])
    said = [" … ".join(p.text for p in own) or None for own in per_article]
    tokens = [t for own in per_article for p in own for t in p.tokens]
    terms = list(dict.fromkeys(surface(t, tokens) for (x, y), m in matches.items()
                               if x in nodes and y in nodes for t in m.shared_terms))
    evidence = [[_span(texts[k], p.span) for p in own] for k, own in enumerate(per_article)]
    first = next(s for s in said if s)
    if len(points) == 2:
        return SharedPoint(text=first, texts=said, terms=terms,
                           evidence_a=evidence[0], evidence_b=evidence[1])
    return SharedPoint(text=first, texts=said, terms=terms, evidence=evidence)
