"""The public contract: the brief request and the brief (schema version 1)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION: Final = "1"
HTML_SIZE_FACTOR = 5
"""HTML may be this many times longer than the text limit: markup around the article."""

EventType = Literal["meeting", "call", "visit", "summit", "statement", "briefing", "other"]
Tone = Literal["cordial", "constructive", "candid", "tense", "hostile", "neutral"]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]
TONES: tuple[str, ...] = Tone.__args__  # type: ignore[attr-defined]


class BriefRequest(BaseModel):
    """An article to brief. Only `text` is required."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    text: str | None = Field(
        None, description="The article's plain text (or send `html`).",
        json_schema_extra={"minLength": 1},
    )
    html: str | None = Field(
        None, description="A news page's HTML instead of `text`: its main text, title and date "
        "are extracted, and the brief's offsets refer to the extracted `source_text`.",
    )
    title: str | None = Field(None, max_length=1000, description="The article's title.")
    source: str | None = Field(None, max_length=1000, description="Where the article is from.")
    published: dt.date | None = Field(
        None, description="Publication date (ISO 8601); resolves 'Monday', 'today'."
    )
    language: str | None = Field(
        None, max_length=35, pattern=r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$",
        description="Language of the brief (ISO 639-1, or a tag such as 'en-US' whose first "
        "part counts): English by default; the article's own language asks for the brief in "
        "that language, untranslated.",
    )

    @model_validator(mode="after")
    def _text_or_html(self) -> BriefRequest:
        if (self.text is None) == (self.html is None):
            raise ValueError("send exactly one of 'text' and 'html'")
        return self

    @field_validator("text")
    @classmethod
    def _text_has_words(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not value.strip():
            raise ValueError("text is empty or only whitespace")
        if not any(ch.isalpha() for ch in value):
            raise ValueError("text has no words (only digits, symbols, emoji or marks)")
        return value

    @field_validator("language")
    @classmethod
    def _primary_language(cls, value: str | None) -> str | None:
        return re.split(r"[-_]", value)[0].lower() if value else value

    @field_validator("published")
    @classmethod
    def _plausible_date(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not 1900 <= value.year <= 2200:
            raise ValueError("must be a date between the years 1900 and 2200")
        return value

    @field_validator("text", "html", "title", "source", "language")
    @classmethod
    def _plain_characters(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if "\x00" in value:
            raise ValueError("contains NUL characters")
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise ValueError("contains lone UTF-16 surrogates (not valid Unicode text)")
        return value


class Event(BaseModel):
    type: EventType
    date: dt.date | None = Field(None, description="YYYY-MM-DD, only when the text determines it.")
    location: str | None = None
    status: Literal["held", "planned"] = Field(
        "held",
        description="`planned` when the article reports a meeting still to come (its date is "
        "the planned day); `held` otherwise.",
    )


class Participant(BaseModel):
    name: str
    title: str | None = None
    country: str | None = None
    country_inferred: bool = Field(
        False,
        description="True when the text does not state this person's country beside their "
        "name and it was inferred: from the one country left in the sentence that names "
        "them, from the publisher (a White House readout's unqualified 'President' is "
        "American; a ministry's readout speaks for its country) or from the model's choice.",
    )


class Quote(BaseModel):
    speaker: str | None = None
    text: str = Field(..., description="Verbatim span of the article.")
    start: int = Field(
        ..., ge=0,
        description="Offset of the quote in the article, in Unicode code points (Python string "
        "indices; a JavaScript client counting UTF-16 units must convert).",
    )
    end: int = Field(..., ge=0, description="End offset (exclusive).")
    translation: str | None = Field(
        None, description="English rendering of a quote in another language, when a "
        "faithful one was made; `text` stays verbatim.",
    )


class Evidence(BaseModel):
    field: str = Field(..., description='The supported item, e.g. "key_points[0]".')
    start: int = Field(..., ge=0)
    end: int = Field(..., ge=0)


class Meta(BaseModel):
    model: str
    prompt_version: str
    input_tokens: int
    output_tokens: int
    latency_ms: int
    chunks: int = Field(1, description="Model calls the article was read in: its parts, or one "
                        "call of sentences chosen from it (`BRIEF_LONG_MODE`).")
    prefill_ms: int = Field(0, description="Model time reading the prompt(s).")
    decode_ms: int = Field(0, description="Model time writing the output (shared with any "
                           "requests decoded in the same batch).")
    forward_steps: int = Field(0, description="Decode passes; forced tokens share a pass.")
    read_sentences: int = Field(
        0, description="Sentences of the article the model read: all of them, unless the "
        "article was longer than one call and condensed before reading (`BRIEF_LONG_MODE`).",
    )
    total_sentences: int = Field(0, description="Sentences in the article.")
    warnings: list[str] = Field(default_factory=list)


class Brief(BaseModel):
    id: str
    schema_version: Literal["1"] = SCHEMA_VERSION
    language: str = Field(..., description="ISO 639-1 code of the article's language.")
    output_language: str = Field(
        "en", description="Language of the brief's own text: headline, summary, key points, "
        "outcomes, topics and titles (an item whose translation failed its check keeps the "
        "article's wording and is named in `meta.warnings`).",
    )
    headline: str
    summary: str
    key_points: list[str]
    event: Event
    participants: list[Participant]
    countries: list[str]
    country_codes: list[str] = Field(
        default_factory=list, description="ISO 3166-1 alpha-2 codes of `countries`, same order."
    )
    topics: list[str]
    agreements: list[str]
    disagreements: list[str]
    next_steps: list[str]
    tone: Tone
    quotes: list[Quote]
    evidence: list[Evidence] = Field(default_factory=list)
    source_text: str | None = Field(
        None, description="For an HTML request: the text extracted from the page, which all "
        "offsets refer to.",
    )
    meta: Meta
