"""The points one readout makes: its body's sentences, a sentence that joins two claims with
"and" cut into its clauses ("They agreed that X, and discussed Y"), each point a span of the
text with exact offsets.

Readouts pack one claim per clause: one side's "reviewed the border and discussed
de-escalation" may share its first half with the other side's readout and not its second.
Comparing whole sentences would put the unshared half into the shared section, so a verb
joined to the sentence's main verb by a conjunction starts a point of its own when it
carries its own object."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span as DocSpan
from spacy.tokens import Token

from service.lang.base import Lexicon
from service.text.article import PreparedArticle
from service.text.document import DocumentHeader
from service.text.spans import Span

# A line that only introduces what follows ("The main points of the talks are as below:").
_INTRODUCES = re.compile(r"\bas (?:follows|below)\W*$|:$", re.IGNORECASE)
# A clause shorter than this many words stays with its sentence ("and said so").
_MIN_CLAUSE_WORDS = 4
# Nouns that name the talks themselves and what any talks are about: a sentence whose only
# nouns are these, with a tone word, says how the talks went ("The session took place in a
# warm atmosphere", "a frank exchange on ties and world affairs"), not
# what they were about.
_TALK_NOUNS = frozenset({"discussion", "discussions", "atmosphere", "manner", "spirit", "tone",
                         "exchange", "exchanges", "conversation", "talk", "talks", "meeting",
                         "dialogue", "call", "side", "sides", "view", "views", "two",
                         "relationship", "relations", "ties", "issue", "issues"})
# What makes a joined verb a claim of its own: its object, a prepositional object, a clause.
_CLAUSE_ARGUMENTS = frozenset({"dobj", "prep", "ccomp", "xcomp", "attr", "acomp", "dative",
                               "agent", "pobj"})


@dataclass(frozen=True)
class Point:
    """One claim of one text: a sentence or a clause of one."""

    span: Span
    sentence: int
    """The index of its sentence in the article."""
    text: str
    """The text's own characters at `span`, whitespace collapsed."""
    tokens: tuple[Token, ...]


def text_points(article: PreparedArticle, header: DocumentHeader) -> list[Point]:
    """The claims of the article's body, in order: its title, date and place lines, bylines
    and sign-off lines are not claims (a claim has a verb), and neither is a line that only
    introduces what follows ("What follows may be attributed to ...:", "... as below.")."""
    points: list[Point] = []
    for index, sentence in enumerate(article.sentences):
        if sentence.end <= header.body_start or article.is_paragraph_label(index):
            continue
        clean = article.clean[sentence.start : sentence.end].strip()
        if not clean or _INTRODUCES.search(clean):
            continue
        tokens = _tokens(article, sentence)
        if not any(t.pos_ in ("VERB", "AUX") for t in tokens):
            continue
        for start, end in _clauses(tokens, sentence):
            points.append(_point(article, index, start, end))
    return points


def _tokens(article: PreparedArticle, sentence: Span) -> list[Token]:
    span: DocSpan | None = article.doc.char_span(sentence.start, sentence.end,
                                                 alignment_mode="expand")
    return [t for t in span if not t.is_space] if span is not None else []


def _clauses(tokens: list[Token], sentence: Span) -> list[tuple[int, int]]:
    """Character ranges of the sentence's clauses: cut before a conjunction that joins a verb
    with its own object to another verb ("agreed that X, and discussed Y"; "agreed to
    explore X and to prepare Y")."""
    cuts: list[int] = []
    for conj in tokens:
        head = conj.head
        if conj.dep_ != "conj" or conj.pos_ != "VERB" or head.pos_ not in ("VERB", "AUX") \
                or conj.i <= head.i:
            continue
        if not any(c.dep_ in _CLAUSE_ARGUMENTS for c in conj.children):
            continue
        joiner = [t for t in tokens if head.i < t.i < conj.i and t.dep_ == "cc"
                  and t.head.i == head.i]
        if joiner:
            cuts.append(joiner[-1].idx)
    ranges: list[tuple[int, int]] = []
    start = sentence.start
    for cut in sorted(cuts):
        words_before = sum(1 for t in tokens if start <= t.idx < cut and not t.is_punct)
        words_after = sum(1 for t in tokens if t.idx >= cut and not t.is_punct)
        if words_before >= _MIN_CLAUSE_WORDS and words_after >= _MIN_CLAUSE_WORDS:
            ranges.append((start, cut))
            start = cut
    ranges.append((start, sentence.end))
    return ranges


def _point(article: PreparedArticle, sentence: int, start: int, end: int) -> Point:
    raw = article.text[start:end]
    # Trimmed of the blanks and the ", and" / "," that joined it to the clause before.
    while raw and (raw[-1].isspace() or raw[-1] in ",;"):
        raw, end = raw[:-1], end - 1
    lead = len(raw) - len(raw.lstrip(" \t\n,;"))
    start += lead
    for joiner in ("and ", "but ", "while "):
        if article.text.startswith(joiner, start) and start > article.sentences[sentence].start:
            start += len(joiner)
            break
    tokens = tuple(t for t in article.doc if start <= t.idx < end and not t.is_space)
    return Point(Span(start, end), sentence, " ".join(article.text[start:end].split()), tokens)


def is_tone_point(point: Point, lexicon: Lexicon) -> bool:
    """The point says how the talks went and nothing else: a tone word, and no noun but the
    talks' own ("Our exchange was open and constructive.")."""
    if not any(cue.search(point.text) for cue in lexicon.tones.values()):
        return False
    nouns = [t for t in point.tokens if t.pos_ in ("NOUN", "PROPN") and not t.is_stop]
    return all(t.lower_ in _TALK_NOUNS or t.ent_type_ in ("PERSON", "NORP", "GPE")
               for t in nouns)
