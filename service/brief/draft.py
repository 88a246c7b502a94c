"""The model's draft, declared once: what the model writes, how it is parsed, the JSON schema
it writes under, and the registry of its sentence fields.

`Draft` parses the model's output (brief/drafts.py), and its JSON schema is generated from
it (`draft_json_schema`) and then narrowed per request to the article's own names, places
and sentence numbers (brief/draft_schema.py). A field whose schema is the same for every
request says it beside its type (`WithJsonSchema`); the rest are narrowed.

A sentence field (key points, agreements, ...) is one line here: the model fills it with
numbers of the article's sentences and the brief with those sentences. Its `SentenceField`
(bounds, label, ...) is the entry that the schema, repair, merge, assembly, translation, the
Markdown and the page (GET /v1/fields) loop over, through `SENTENCE_FIELDS`. Adding one:
its line here; its list in `schemas.Brief` (with a default, so that a brief a client saved
before still renders); its line in the prompt; the OpenAPI snapshot written again
(`python -m tests.test_openapi_snapshot`); and, for each language, its cue in the lexicon's
`sentence_cues` (without one every statement is a candidate, and none counts as an outcome
when a long article is condensed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from pydantic import BaseModel, WithJsonSchema
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from service.schemas import EVENT_TYPES, TONES


@dataclass(frozen=True)
class SentenceField:
    """A list of the article's own sentences: the model picks their numbers, the brief
    shows their text, each with its span as evidence."""

    bounds: tuple[int, int]
    """How many sentences the model picks: at least, at most (both cut to the candidates)."""
    label: str
    """The section's title in the Markdown and on the page: "Key points"."""
    item: str
    """One of them, as the page and the English summary name it: "key point"."""
    outcome: bool = False
    """What came of the event (not what the article says of it): such a sentence ranks
    high when a long article is condensed (brief/selection.py), is kept when the article
    states it plainly though the model missed it, and a long article read in parts may keep
    more of them."""
    cue: str = ""
    """The key of the lexicon's `sentence_cues` and `plain_outcomes` for this field; its
    name unless given."""
    name: str = ""
    """Filled in from the `Draft` field it annotates."""

    @property
    def plural(self) -> str:
        """"key points", "next steps": the label in running text."""
        return self.label.lower()


def _string(max_length: int, min_length: int = 1) -> dict[str, Any]:
    # A pattern rather than minLength/maxLength: xgrammar compiles those to `[^"\\\r\n]{m,n}`,
    # which lets a tab or another control character into the string, and the JSON is invalid.
    return {"type": "string", "pattern": f'^[^\\x00-\\x1f"\\\\]{{{min_length},{max_length}}}$'}


# The schema says what the model may write; parsing stays lenient (a value outside it is
# repaired by `drafts.conform`, and logged), since model servers do not all enforce it.
class Draft(BaseModel):
    """The model's output, parsed but not yet trusted. Sentence fields hold sentence numbers;
    the fields' order is the order the model writes them in."""

    headline: Annotated[str, WithJsonSchema(_string(100, 10))] = ""
    summary: Annotated[str, WithJsonSchema(_string(600, 40))] = ""
    event_type: Annotated[str, WithJsonSchema({"enum": list(EVENT_TYPES)})]
    location: str | None = None
    participants: list[dict[str, str | None]] = []
    key_points: Annotated[list[int], SentenceField((4, 6), "Key points", "key point")] = []
    topics: Annotated[list[str], WithJsonSchema(
        {"type": "array", "items": _string(40, 3), "minItems": 1, "maxItems": 5})] = []
    agreements: Annotated[
        list[int], SentenceField((0, 4), "Agreements", "agreement", outcome=True)] = []
    disagreements: Annotated[
        list[int], SentenceField((0, 3), "Disagreements", "disagreement", outcome=True)] = []
    next_steps: Annotated[
        list[int], SentenceField((0, 3), "Next steps", "next step", outcome=True)] = []
    tone: Annotated[str, WithJsonSchema({"enum": list(TONES)})] = "neutral"

    def numbers(self, field: SentenceField) -> list[int]:
        """The sentence numbers the model chose for `field`."""
        chosen: list[int] = getattr(self, field.name)
        return chosen


def _sentence_fields() -> tuple[SentenceField, ...]:
    return tuple(
        replace(meta, name=name, cue=meta.cue or name)
        for name, info in Draft.model_fields.items()
        for meta in info.metadata if isinstance(meta, SentenceField)
    )


SENTENCE_FIELDS = _sentence_fields()
"""The sentence fields, in the draft's order."""
SENTENCE_FIELD = {field.name: field for field in SENTENCE_FIELDS}


class _EngineSchema(GenerateJsonSchema):
    """A model's JSON schema as an engine takes it: no titles, no defaults, keys in the
    order they are declared (a grammar is compiled from it; the draft's order is the
    model's)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def sort(self, value: JsonSchemaValue, parent_key: str | None = None) -> JsonSchemaValue:
        return value


def draft_json_schema() -> dict[str, Any]:
    """The draft's JSON schema before any request narrows it: every field, in order; the
    properties of those narrowed per request (location, participants, sentence fields) in
    their general form."""
    return Draft.model_json_schema(schema_generator=_EngineSchema)
