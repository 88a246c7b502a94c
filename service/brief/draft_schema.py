"""The JSON schema the model writes under, built per request from the article's candidates.

Names and places are enumerations of what the article contains, and key points, agreements,
disagreements and next steps are numbers of the article's own sentences, so the model chooses
but cannot invent. Length bounds keep a small model from looping.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from service.schemas import EVENT_TYPES, TONES
from service.text.article import PreparedArticle
from service.text.extract import Extraction
from service.text.statements import sentence_candidates

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
    article: PreparedArticle, extraction: Extraction, window: Sequence[int], *,
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
