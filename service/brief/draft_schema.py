"""The JSON schema the model writes under, built per request from the article's candidates.

Names and places are enumerations of what the article contains, and key points, agreements,
disagreements and next steps are numbers of the article's own sentences, so the model chooses
but cannot invent. Length bounds keep a small model from looping.
"""

from __future__ import annotations

import re
from typing import Any

from service.schemas import EVENT_TYPES, TONES
from service.text.article import PreparedArticle
from service.text.dates import YEAR
from service.text.extract import Extraction

MAX_PEOPLE = 25
MAX_COUNTRIES = 25
MAX_PLACES = 15

LIST_BOUNDS = {"key_points": (4, 6), "agreements": (0, 4), "disagreements": (0, 3),
               "next_steps": (0, 3)}


def _string(max_length: int, min_length: int = 1) -> dict[str, Any]:
    # A pattern rather than minLength/maxLength: xgrammar compiles those to `[^"\\\r\n]{m,n}`,
    # which lets a tab or another control character into the string, and the JSON is invalid.
    return {"type": "string", "pattern": f'^[^\\x00-\\x1f"\\\\]{{{min_length},{max_length}}}$'}


def _enum_or_null(values: list[str]) -> dict[str, Any]:
    if not values:
        return {"type": "null"}
    return {"anyOf": [{"enum": values}, {"type": "null"}]}


def people_candidates(extraction: Extraction) -> list[str]:
    return [p.name for p in extraction.persons[:MAX_PEOPLE]]


def country_candidates(extraction: Extraction) -> list[str]:
    return [c.name for c in extraction.countries[:MAX_COUNTRIES]]


def place_candidates(extraction: Extraction) -> list[str]:
    return extraction.places[:MAX_PLACES]


_NOT_A_FACT = re.compile(r"^(?:photo|image|picture|video|file photo|credit)\b|^\W", re.IGNORECASE)


def is_statement(sentence: str) -> bool:
    """A full sentence that states something: not a caption, credit, title line or fragment."""
    return (
        len(sentence.split()) >= 7
        and sentence[-1:] in ".!?\"”'’)"
        and not _NOT_A_FACT.search(sentence)
    )


def sentence_candidates(article: PreparedArticle, field: str, window: range) -> list[int]:
    """1-based numbers of the sentences in `window` (0-based indices) that may fill `field`."""
    cue = article.lexicon.sentence_cues.get(field)
    numbers = []
    for index in window:
        sentence = article.sentence_text(index)
        if is_statement(sentence) and (cue is None or cue.search(sentence)):
            numbers.append(index + 1)
    return numbers


def statement_sentences(article: PreparedArticle, window: range) -> list[int]:
    return sentence_candidates(article, "key_points", window)


# A year that dates a thing rather than the sentence: "the dispute of 2019", "the 2019 dispute".
_YEAR_OF_A_THING = re.compile(r"(?:\b(?:of|de|del|du|d['’])\s+(?:\w+\s+)?$|\bthe\s+$)",
                              re.IGNORECASE)


def about_earlier_year(sentence: str, event_year: int | None) -> bool:
    """A sentence that dates itself before the event's year ("in 2019", "since 2013"); a
    year that only dates something it mentions ("... a repeat of the dispute of 2019") does
    not make it about an earlier event."""
    if not event_year:
        return False
    return any(
        int(m.group()) < event_year
        and not _YEAR_OF_A_THING.search(sentence[max(0, m.start() - 25) : m.start()])
        for m in YEAR.finditer(sentence)
    )


def plain_outcomes(
    article: PreparedArticle, field: str, window: range, event_year: int | None = None
) -> list[int]:
    """Sentences that plainly state an outcome of this event; a sentence that names a year
    before the event's is about an earlier one."""
    pattern = article.lexicon.plain_outcomes.get(field)
    if pattern is None:
        return []
    found = []
    for number in sentence_candidates(article, "key_points", window):
        sentence = article.sentence_text(number - 1)
        if not pattern.search(sentence):
            continue
        if about_earlier_year(sentence, event_year):
            continue
        found.append(number)
    return found


def _sentence_list(numbers: list[int], bounds: tuple[int, int]) -> dict[str, Any]:
    low, high = bounds
    if not numbers:
        return {"type": "array", "maxItems": 0}
    return {
        "type": "array",
        "items": {"enum": numbers},
        "minItems": min(low, len(numbers)),
        "maxItems": min(high, len(numbers)),
    }


def output_schema(
    article: PreparedArticle, extraction: Extraction, window: range, *,
    ask_headline: bool = True, ask_summary: bool = False,
) -> dict[str, Any]:
    """What the model must decide for this article. Fields the pipeline can take from the text
    (a title line as headline, the lead as summary) are left out: fewer tokens to generate."""
    people = people_candidates(extraction)
    participant = {
        "type": "object",
        "properties": {
            "name": {"enum": people},
            "country": _enum_or_null(country_candidates(extraction)),
        },
        "required": ["name", "country"],
        "additionalProperties": False,
    }
    properties: dict[str, Any] = {}
    if ask_headline:
        properties["headline"] = _string(100, 10)
    if ask_summary:
        properties["summary"] = _string(600, 40)
    properties |= {
        "event_type": {"enum": list(EVENT_TYPES)},
        "location": _enum_or_null(place_candidates(extraction)),
        "participants": (
            {"type": "array", "items": participant, "maxItems": min(len(people), 8)}
            if people else {"type": "array", "maxItems": 0}
        ),
    }
    for field, bounds in LIST_BOUNDS.items():
        properties[field] = _sentence_list(sentence_candidates(article, field, window), bounds)
        if field == "key_points":
            properties["topics"] = {
                "type": "array", "items": _string(40, 3), "minItems": 1, "maxItems": 5,
            }
    properties["tone"] = {"enum": list(TONES)}
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
