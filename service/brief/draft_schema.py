"""The JSON schema the model writes under: the draft's own schema (brief/draft.py), narrowed
per request to the article's candidates.

Names and places are enumerations of what the article contains, and the sentence fields
(key points, agreements, ...) are numbers of the article's own sentences, so the model chooses
but cannot invent. Length bounds keep a small model from looping.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from functools import lru_cache
from typing import Any

from service.brief.draft import SENTENCE_FIELDS, draft_json_schema
from service.text.article import PreparedArticle
from service.text.extract import Extraction
from service.text.statements import sentence_candidates

MAX_PEOPLE = 25
MAX_COUNTRIES = 25
MAX_PLACES = 15
MAX_PARTICIPANTS = 8


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


@lru_cache(maxsize=1)
def _general_properties() -> dict[str, Any]:
    properties: dict[str, Any] = draft_json_schema()["properties"]
    return properties


def _participants(people: list[str], countries: list[str]) -> dict[str, Any]:
    if not people:
        return {"type": "array", "maxItems": 0}
    participant = {
        "type": "object",
        "properties": {"name": {"enum": people}, "country": _enum_or_null(countries)},
        "required": ["name", "country"],
        "additionalProperties": False,
    }
    return {"type": "array", "items": participant, "maxItems": min(len(people), MAX_PARTICIPANTS)}


def output_schema(
    article: PreparedArticle, extraction: Extraction, window: Sequence[int], *,
    ask_headline: bool = True, ask_summary: bool = False,
) -> dict[str, Any]:
    """What the model must decide for this article: the draft's fields in the draft's order,
    each narrowed to this article. Fields the pipeline can take from the text (a title line as
    headline, the lead as summary) are left out: fewer tokens to generate."""
    narrowed: dict[str, Any] = {
        "location": _enum_or_null(place_candidates(extraction)),
        "participants": _participants(people_candidates(extraction),
                                      country_candidates(extraction)),
    }
    for field in SENTENCE_FIELDS:
        narrowed[field.name] = _sentence_list(
            sentence_candidates(article, field.cue, window), field.bounds)
    left_out = {name for name, asked in (("headline", ask_headline), ("summary", ask_summary))
                if not asked}
    properties = {
        name: narrowed[name] if name in narrowed else deepcopy(general)
        for name, general in _general_properties().items() if name not in left_out
    }
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
