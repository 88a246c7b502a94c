"""The model's drafts: one per part of the article, parsed, retried once when unusable, and
merged into one (the map and reduce steps of a long article)."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from service.brief.draft import SENTENCE_FIELDS, Draft
from service.engines.base import Engine, GenerationRequest, GenerationResult
from service.errors import GenerationFailed

log = logging.getLogger(__name__)


_FENCE = re.compile(r"^```[a-zA-Z]*[ \t]*\n?|\n?```\s*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_FALLBACK = {"event_type": "other", "tone": "neutral"}


def json_payload(text: str) -> Any:
    """The JSON value a model wrote, without what some servers let around it: a code fence,
    a sentence before it, text after it. ValueError when there is none."""
    text = _FENCE.sub("", text.strip())
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON object in the model's output")
    value, _ = json.JSONDecoder().raw_decode(text, start)
    return value


def _enum(schema: dict[str, Any]) -> list[Any] | None:
    """The values an enum (or an enum-or-null) property allows; None if it is not one."""
    if "enum" in schema:
        return list(schema["enum"])
    for option in schema.get("anyOf", []):
        if "enum" in option:
            return list(option["enum"])
    if schema.get("type") == "null":
        return []
    return None


def conform(draft: Draft, schema: dict[str, Any]) -> Draft:
    """The draft held to the request's own schema, whatever the engine enforced of it (model
    servers drop keywords silently, and large enums become regexes): a value outside an
    enumeration becomes its neutral value (or null), lists keep their bound, strings lose
    control characters. Each repair is logged."""
    props: dict[str, Any] = schema.get("properties", {})
    repaired: list[str] = []
    values: dict[str, Any] = {}
    for name in ("event_type", "tone", "location"):
        allowed = _enum(props.get(name, {}))
        value = getattr(draft, name)
        if allowed is not None and value is not None and value not in allowed:
            repaired.append(f"{name} {value!r}")
            value = _FALLBACK.get(name)
        values[name] = value
    for field in SENTENCE_FIELDS:
        # Numbers of sentences that do not exist are left to grounding, which says so in the
        # brief's warnings; here only the list's bound.
        numbers = list(dict.fromkeys(draft.numbers(field)))
        most = props.get(field.name, {}).get("maxItems", len(numbers))
        if len(numbers) > most:
            repaired.append(f"{field.name}: {len(numbers)} sentences")
        values[field.name] = numbers[:most]
    person = props.get("participants", {}).get("items", {}).get("properties", {})
    countries = _enum(person.get("country", {}))
    participants = []
    for chosen in draft.participants:  # names not in the article: grounding drops and says so
        if countries is not None and chosen.get("country") not in [*countries, None]:
            repaired.append(f"country {chosen.get('country')!r}")
            chosen = {**chosen, "country": None}
        participants.append(chosen)
    topics = [_CONTROL.sub(" ", t).strip() for t in draft.topics]
    values["topics"] = [t for t in topics if t][: props.get("topics", {}).get("maxItems", 5)]
    if repaired:
        log.warning("model output outside the request's schema, repaired: %s", "; ".join(repaired))
    return draft.model_copy(update={
        **values, "participants": participants,
        "headline": _CONTROL.sub(" ", draft.headline).strip(),
        "summary": _CONTROL.sub(" ", draft.summary).strip(),
    })


def parse_draft(text: str, schema: dict[str, Any] | None = None) -> Draft:
    """The model's output as a draft, held to `schema` when given. ValueError (pydantic's
    ValidationError among them) when it is not a draft at all."""
    draft = Draft.model_validate(json_payload(text))
    return conform(draft, schema) if schema is not None else draft


class DraftWriter:
    """Asks the engine for the drafts of a plan's calls, decoded together as one batch."""

    def __init__(self, engine: Engine, repetition_penalty: float) -> None:
        self.engine = engine
        self.repetition_penalty = repetition_penalty

    def write(
        self, requests: list[GenerationRequest]
    ) -> tuple[list[Draft], list[GenerationResult]]:
        first = self.engine.generate_batch(requests)
        drafts: list[Draft] = []
        results: list[GenerationResult] = []
        for request, result in zip(requests, first, strict=True):
            draft, final = self._parse_or_retry(request, result)
            drafts.append(draft)
            results.append(final)
        return drafts, results

    def _parse_or_retry(
        self, request: GenerationRequest, result: GenerationResult
    ) -> tuple[Draft, GenerationResult]:
        """Parse the draft; once, on failure, generate again with a stronger repetition
        penalty (the usual failure is a loop) and, when it was cut off, twice the room."""
        try:
            return parse_draft(result.text, request.json_schema), result
        except ValueError as exc:
            log.warning("model output invalid on attempt 1: %s", _short(exc))
        budget = request.max_new_tokens * (2 if result.truncated else 1)
        retry = self.engine.generate(replace(
            request, max_new_tokens=budget, repetition_penalty=self.repetition_penalty + 0.1,
        ))
        try:
            return parse_draft(retry.text, request.json_schema), retry
        except ValueError as exc:
            raise GenerationFailed(
                "the model's output could not be parsed into a brief after 2 attempts "
                f"({_short(exc)})"
            ) from exc


def _short(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        return f"{exc.error_count()} validation errors"
    return str(exc).split("\n")[0][:200]


def _round_robin(lists: list[list[int]]) -> list[int]:
    merged: list[int] = []
    for position in range(max((len(x) for x in lists), default=0)):
        merged.extend(x[position] for x in lists if position < len(x))
    return list(dict.fromkeys(merged))


def merge_drafts(drafts: list[Draft]) -> Draft:
    """The reduce step: one draft from the parts' drafts. The event (type, place, tone,
    headline) is the first part's, where the lead is; choices are pooled, taking from each
    part in turn so the end of an article counts as much as its start."""
    if len(drafts) == 1:
        return drafts[0]
    first = drafts[0]
    return first.model_copy(update={
        "location": first.location or next((d.location for d in drafts if d.location), None),
        "participants": [p for d in drafts for p in d.participants],
        "topics": [t for d in drafts for t in d.topics],
        **{f.name: _round_robin([d.numbers(f) for d in drafts]) for f in SENTENCE_FIELDS},
    })
