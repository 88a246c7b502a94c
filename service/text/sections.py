"""Section headings: the short lines a long story, a fact sheet or a joint statement puts
between its paragraphs ("Trade and Investment", "Energy Security in the Baltic").

Writers head a section with the name of its subject, so the headings are the text's own list
of what it is about; a reader looks for them first. A heading is told from the lines around a
title (date, place, time, byline, which come before the first paragraph that states
something) and from page furniture (blanked by text/sanitize.py) by where it stands: between
two paragraphs of prose, itself no sentence.
"""

from __future__ import annotations

import re

from spacy.tokens import Span as DocSpan
from spacy.tokens import Token

from service.text.article import PreparedArticle
from service.text.dates import find_dates
from service.text.spans import Span
from service.text.statements import is_statement

_MOST_WORDS = 10
# A numbered section's label ("2. Trade", "IV) Security"): not part of its subject's name.
_LABEL = re.compile(r"(?:\d{1,2}|[IVX]{1,5})[.)]\s+")
# Ends as a sentence does, or holds a speaker's label, an aside or a cut ("Q Well —").
_NOT_A_HEADING = re.compile(r"[.!?,;:\"”’)\]]$|[:()\[\]—–]|\d:\d")
# Words around a listed subject that are not part of its name.
_SKIP_POS = {"DET", "PRON", "PUNCT", "CCONJ"}
# A heading that opens so is a line of prose ("Inside the meeting", "A long way back").
_PROSE_OPENERS = {"DET", "PRON", "ADP", "ADV", "SCONJ"}
_FUNCTION_POS = {"ADP", "CCONJ", "DET", "PART", "SCONJ", "PRON"}
# What a listed subject's name is made of: no preposition or verb ("a thaw between two
# capitals" is a description, not a list of subjects).
_NOUN_PHRASE_POS = {"NOUN", "PROPN", "ADJ", "NUM", "X", "PART"}


def section_headings(article: PreparedArticle) -> list[Span]:
    """The lines that head a section of the body: after the first paragraph of prose and
    before a paragraph of prose, short, capitalised, no sentence, no date or time."""
    paragraphs = article.paragraphs
    prose = [is_statement(_line(article, p)) for p in paragraphs]
    headings: list[Span] = []
    seen_prose = False
    for index, paragraph in enumerate(paragraphs):
        if prose[index]:
            seen_prose = True
            continue
        if not seen_prose or index + 1 >= len(paragraphs) or not prose[index + 1]:
            continue
        raw = article.clean[paragraph.start : paragraph.end]
        start = len(raw) - len(raw.lstrip())
        if label := _LABEL.match(raw, start):
            start = label.end()
        paragraph = Span(paragraph.start + start, paragraph.end)
        line = _line(article, paragraph)
        words = line.split()
        if not 1 <= len(words) <= _MOST_WORDS or not line[0].isupper() or line.isupper():
            continue
        if _NOT_A_HEADING.search(line) or find_dates(line, language=article.language):
            continue
        headings.append(paragraph)
    return headings


def heading_subjects(article: PreparedArticle) -> list[str]:
    """The subjects the headings name, in order.

    An official page heads its sections in title case with the names of their subjects
    ("Trade, Energy and Migration", "Cooperation on Clean Energy"): each subject of a heading
    that lists them, or the heading itself. A feature writer's subheads are in sentence case
    and play on words ("Salt, wind and patience"): only the places they name."""
    subjects: list[str] = []
    syntax = article.syntax
    for heading in section_headings(article):
        span = article.doc.char_span(heading.start, heading.end, alignment_mode="expand")
        # A line that is only names (a byline's agency, a dateline's "Lima, Peru") credits
        # or places the text; it names no subject.
        if span is None or all(t.ent_type_ in syntax.name_labels for t in span if t.is_alpha):
            continue
        official = _title_case(span)
        items = _listed(span, article.lexicon.topic_split)
        if items is not None:
            subjects.extend(
                article.clean[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
                for tokens in items
                if official or any(t.ent_type_ in syntax.heading_place_labels for t in tokens))
        elif official and span[0].pos_ not in _PROSE_OPENERS:
            subjects.append(" ".join(article.clean[heading.start : heading.end].split()))
    return list(dict.fromkeys(subjects))


def _title_case(span: DocSpan) -> bool:
    """Every word but the small function words capitalised."""
    words = [t for t in span if t.is_alpha and t.pos_ not in _FUNCTION_POS]
    return bool(words) and all(t.text[0].isupper() for t in words)


def _listed(span: DocSpan, separators: re.Pattern[str]) -> list[list[Token]] | None:
    """The words of each subject of a heading that only lists noun phrases ("Trade, Energy
    and Migration"); None for a heading that is something else ("Talks between Oslo and Lima"
    is one subject, "Talks stall over quotas" a clause)."""
    text = span.text
    found = list(separators.finditer(text))
    if not found:
        return None
    edges = [0, *(edge for m in found for edge in (m.start(), m.end())), len(text)]
    items: list[list[Token]] = []
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        low, high = span.start_char + start, span.start_char + end
        tokens = [t for t in span if low <= t.idx < high and t.pos_ not in _SKIP_POS]
        if not tokens or any(t.pos_ not in _NOUN_PHRASE_POS for t in tokens):
            return None
        items.append(tokens)
    return items


def _line(article: PreparedArticle, paragraph: Span) -> str:
    return " ".join(article.clean[paragraph.start : paragraph.end].split())
