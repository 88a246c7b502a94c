"""The summary when the model does not write one: who met whom, when and where, from the
brief's grounded facts, then the article's own sentences that carry its substance.

A lead paragraph already says who met whom, at length; the summary says it in one sentence
and spends the rest on what the talks were about and what came of them: the article's own
list of what was discussed, an outcome, a disagreement, then the points it makes after its
lead. Every claim is the text's: the names, offices, places and dates are
the brief's grounded values, and the other sentences are the article's, verbatim.
"""

from __future__ import annotations

import datetime as dt

from service.brief.headline import lede_summary
from service.lang import en
from service.schemas import Event, Participant
from service.text.article import PreparedArticle
from service.text.countries import fold
from service.text.statements import is_statement

_MOST_CHARS = 800
_LONGEST_SENTENCE = 320
# An outcome is what the summary is for: kept even when a wire story writes it long.
_LONGEST_OUTCOME = 480
_SUBSTANCE_SENTENCES = 3
# How far into the article its own list of subjects ("They discussed X, Y and Z") is sought.
_LISTING_SENTENCES = 8
# An office longer than this is left out of the event sentence: the name says who.
_LONGEST_TITLE_WORDS = 5


def event_sentence(
    participants: list[Participant], event: Event, article: PreparedArticle
) -> str | None:
    """"Foreign Minister Ana Soto (Chile) and Foreign Minister Rui Lopes (Peru) met in Lima
    on 4 May 2025." None when the article names no participant."""
    if not participants:
        return None
    folded = fold(article.clean)
    people = [_person(p, folded) for p in participants[:4]]
    if len(participants) > 4:
        people.append(f"{len(participants) - 4} others")
    verb = en.EVENT_VERBS.get(event.type)
    if len(participants) == 1 and verb:
        verb = en.ONE_PERSON_VERBS.get(event.type, verb)
    if verb is None:
        verb = "took part in the event"
    where = f" in {event.location}" if event.location and event.type != "call" else ""
    when = f" on {_date(event.date)}" if event.date else ""
    return f"{_and(people)} {verb}{where}{when}."


def substance(
    article: PreparedArticle, agreements: list[str], key_points: list[str],
    disagreements: list[str], lead: str,
) -> list[str]:
    """Up to three sentences that the lead sentence does not already say: the article's own
    list of what was discussed, an outcome, a disagreement, then key points."""
    lead_folded = fold(lead)
    picked: list[str] = []
    listing = article.lexicon.topic_listing
    subjects = [
        text for index in range(min(len(article.sentences), _LISTING_SENTENCES))
        if listing.search(text := article.sentence_text(index)) and is_statement(text)
    ][:1]
    outcomes = [*agreements[:1], *disagreements[:1]]
    # The lead's next sentence says where and when, at length: the event sentence said it.
    opening = fold(lede_summary(article, most=2))
    for sentence in [*subjects, *outcomes, *key_points, *agreements[1:]]:
        if len(picked) == _SUBSTANCE_SENTENCES:
            break
        key = fold(sentence)
        longest = _LONGEST_OUTCOME if sentence in outcomes else _LONGEST_SENTENCE
        if len(sentence) > longest or key in lead_folded or lead_folded in key:
            continue
        if sentence in key_points and sentence not in outcomes and key in opening:
            continue
        if any(key == fold(p) for p in picked):
            continue
        picked.append(sentence)
    return picked


def assembled_summary(
    participants: list[Participant], event: Event, article: PreparedArticle, lead: str,
    agreements: list[str], key_points: list[str], disagreements: list[str],
) -> str | None:
    """The event sentence and the substance, within the summary's length; None when the
    article names no participant (the lead then stands)."""
    first = event_sentence(participants, event, article)
    if first is None:
        return None
    sentences = [first]
    for sentence in substance(article, agreements, key_points, disagreements, lead):
        if len(" ".join([*sentences, sentence])) > _MOST_CHARS:
            break
        sentences.append(sentence)
    return " ".join(sentences)


def _person(participant: Participant, article_folded: str) -> str:
    title = participant.title
    named = participant.name
    if title and len(title.split()) <= _LONGEST_TITLE_WORDS and fold(title) in article_folded:
        named = f"{title} {named}"
    # A country only as the article writes it: "(United States)" for a text that says "U.S."
    # only would name what the article does not.
    if participant.country and fold(participant.country) in article_folded:
        named = f"{named} ({participant.country})"
    return named


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _and(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
