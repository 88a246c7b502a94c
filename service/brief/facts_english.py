"""An English headline and summary written from a brief's grounded facts, not translated.

For an article in another language the title and the lead are not translated by the model
(a small model's translation of a whole sentence drifts: a wrong month, an invented
institution); the event, its place and date, the people, their countries and offices are
already established from the text, and these sentences say only that.
"""

from __future__ import annotations

from service.brief.assemble import BriefContent
from service.brief.draft import SENTENCE_FIELDS
from service.lang.registry import brief_language
from service.schemas import Participant


def _and(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _person(participant: Participant, english_title: str | None) -> str:
    """"France's Foreign Minister Jean-Noël Barrot", "Nasser Bourita (Morocco)"."""
    if english_title and participant.country:
        return f"{participant.country}'s {english_title} {participant.name}"
    if english_title:
        return f"{english_title} {participant.name}"
    if participant.country:
        return f"{participant.name} ({participant.country})"
    return participant.name


def _when_where(brief: BriefContent) -> str:
    parts = []
    if brief.event.location and brief.event.type != "call":
        preposition = "to" if brief.event.type == "visit" else "in"
        parts.append(f"{preposition} {brief.event.location}")
    if brief.event.date:
        parts.append(f"on {brief.event.date.day} {brief.event.date:%B %Y}")
    return " ".join(parts)


def _represented(brief: BriefContent) -> list[str]:
    """The participants' countries: not the countries the article merely names most."""
    return list(dict.fromkeys(p.country for p in brief.participants if p.country))


def fact_headline(brief: BriefContent) -> str:
    """"France and Morocco: meeting in Paris on 13 March 2025"."""
    who = _and(_represented(brief)) or _and([p.name for p in brief.participants[:3]])
    what = brief_language().writing.event_nouns.get(brief.event.type, "event")
    line = f"{who}: {what}" if who else what[0].upper() + what[1:]
    return f"{line} {_when_where(brief)}".strip()


def fact_summary(brief: BriefContent, english_titles: list[str | None]) -> str:
    """Who did what, where and when; how many outcomes the article reports."""
    people = [_person(p, t) for p, t in zip(brief.participants, english_titles, strict=True)]
    where = _when_where(brief)
    verb = brief_language().writing.event_verbs.get(brief.event.type)
    if len(people) == 1 and verb:
        verb = brief_language().writing.one_person_verbs.get(brief.event.type, verb)
    if people and verb:
        first = f"{_and(people)} {verb} {where}".strip()
    elif people:
        first = f"The article reports an event {where} involving {_and(people)}"
    else:
        noun = brief_language().writing.event_nouns.get(brief.event.type, "event")
        article = "an" if noun[0] in "aeiou" else "a"
        first = f"The article reports {article} {noun} {where}; the article names no participant"
    sentences = [" ".join(first.split()) + "."]
    counts = [
        f"{n} {field.item if n == 1 else field.plural}"
        for field in SENTENCE_FIELDS if field.outcome
        if (n := len(brief.sentences[field.name]))
    ]
    if counts:
        sentences.append(f"The article reports {_and(counts)}, listed below.")
    return " ".join(sentences)
