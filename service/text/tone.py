"""The tone of the talks: the tone words the text uses (the lexicon's `tones`), the lead
counted twice, else the model's choice.

A tone word says nothing of how the talks went when:
- it is part of a name: the parse tags it inside an entity ("Frank" in a minister's first
  name);
- it is a word of friction (`AT_ODDS`) aimed at someone outside the talks. Sides that
  condemn a third country's strike, or share their concern about a coup elsewhere, agree
  with each other: a readout reports a joint stand against a third party far more often than
  friction between the sides. The sides are the countries the lead names as whose (not where,
  nor an envoy's portfolio: "in X", "Envoy for X"); the target is a country, a person, a body
  or a place named in the clause the word opens that is not one of them.
On equal counts the tone named first wins: "a cordial, productive session" is cordial before
it is productive.
"""

from __future__ import annotations

import re
from functools import lru_cache

from service.lang.registry import reading_of_every_language
from service.text.article import PreparedArticle
from service.text.countries import find_country_mentions, fold

AT_ODDS = ("tense", "hostile")
"""Tones of friction between the sides (`schemas.Tone`)."""

# Entity labels of names a tone word may stand in ("Frank", "Warm Springs").
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "WORK_OF_ART", "EVENT"})
# Entity labels of a third party a word of friction may be aimed at, besides a country.
_PARTY_LABELS = frozenset({"PERSON", "ORG", "LOC", "FAC"})
# The clause a word opens ends at a comma, a stop or a line: "condemned the X's launch, the
# latest in ..." aims at the launch. At most this many characters.
_CLAUSE = re.compile(r"[^,.;:!?\n]{0,120}")
# How far before a country's name a preposition makes it a place or a portfolio.
_LEAD_IN_REACH = 30


def tone_of_text(article: PreparedArticle, lead: list[int], model_choice: str) -> str:
    """The tone the text's own words give (`lead`: the indices of the title and the first
    event sentences); else the model's choice."""
    spans = [article.sentences[index] for index in lead]
    lead_text = "\n".join(article.clean[s.start : s.end] for s in spans)
    sides = _sides(article, "\n".join(article.clean[s.start : s.end] for s in spans[:2]))
    named_in_lead = fold(lead_text)
    scores: dict[str, int] = {}
    first_at: dict[str, int] = {}
    for name, cue in article.lexicon.tones.items():
        found = [m.start() for m in cue.finditer(article.clean)
                 if not _in_a_name(article, m.start())
                 and not (name in AT_ODDS and _aimed_elsewhere(article, m.end(), sides, named_in_lead))]
        if found:
            in_lead = sum(1 for at in found if any(s.start <= at < s.end for s in spans))
            scores[name] = len(found) + 2 * in_lead
            first_at[name] = found[0]
    if not scores:
        return model_choice
    return max(scores, key=lambda name: (scores[name], -first_at[name]))


def _in_a_name(article: PreparedArticle, position: int) -> bool:
    """The word at `position` is part of a name the parse found: capitalised, in the body (a
    title-case headline capitalises every word, and the parser then finds names in it)."""
    if not article.clean[position : position + 1].isupper():
        return False
    title = article.title_index()
    if title is not None and article.paragraphs[title].start <= position < article.paragraphs[title].end:
        return False
    span = article.doc.char_span(position, position + 1, alignment_mode="expand")
    return span is not None and any(t.ent_type_ in _NAME_LABELS for t in span)


def _sides(article: PreparedArticle, lead: str) -> set[str]:
    """The countries the lead gives its people: a country's name or demonym right before an
    office or a name ("French Foreign Minister", "X's President", "the Republic of X (ROX)
    Envoy"), or after one ("President Y of X"); not a country named as where or what ("in X",
    "Envoy for X"), nor as doing harm ("X's invasion"), which is what the talks were about."""
    reading = article.language_data.reading
    lead_in = _lead_in(article.lexicon.place_prepositions, reading.directions,
                       reading.definite_articles)
    harm = article.lexicon.hostile_after
    sides: set[str] = set()
    for mention in find_country_mentions(lead, article.language):
        before = lead[max(0, mention.start - _LEAD_IN_REACH) : mention.start]
        if lead_in.search(before) or (harm is not None and harm.match(lead, mention.end)):
            continue
        if _BEFORE_A_NAME.match(lead, mention.end) or _AFTER_A_NAME.search(before):
            sides.add(mention.country.name)
    return sides


# What follows a country that names its people: an office or a name, after a glossing
# acronym at most ("the Republic of X (ROX) Envoy").
_BEFORE_A_NAME = re.compile(r"(?<!\s)(?:[^\S\n]*\([A-Z][\w.]*\))?[^\S\n]+[A-Z]")
# What stands before a country that names its people: a name or an office, and "of"
# ("President Y of X").
_WORDS = reading_of_every_language()
_AFTER_A_NAME = re.compile(
    rf"(?<![\w.-])[A-Z][\w.-]*\s+(?:{_WORDS.of_words})\s+(?:(?:{_WORDS.definite_articles})\s+)?$")


@lru_cache(maxsize=8)
def _lead_in(prepositions: str, directions: str, articles: str) -> re.Pattern[str]:
    words = "|".join(w for w in (prepositions, directions) if w)
    the = rf"(?:(?:{articles})\s+)?" if articles else ""
    return re.compile(rf"\b(?:{words})\s+{the}$", re.IGNORECASE)


def _aimed_elsewhere(article: PreparedArticle, end: int, sides: set[str], lead: str) -> bool:
    """The clause after a word of friction names a country that is not one of the sides, or
    a person, a body or a place the lead does not name."""
    clause = _CLAUSE.match(article.clean, end)
    if clause is None or not clause.group(0).strip():
        return False
    countries = {m.country.name for m in find_country_mentions(clause.group(0), article.language)}
    if countries - sides:
        return True
    span = article.doc.char_span(end, clause.end(), alignment_mode="expand")
    return span is not None and any(
        ent.label_ in _PARTY_LABELS and fold(ent.text) not in lead for ent in span.ents)
