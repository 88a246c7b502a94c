"""The model's drafts: one per part of the article, parsed, retried once when unusable, and
merged into one (the map and reduce steps of a long article)."""

from __future__ import annotations

import logging
from dataclasses import replace

from pydantic import BaseModel, ValidationError

from service.brief.grounding import Draft
from service.engines.base import Engine, GenerationRequest, GenerationResult
from service.errors import GenerationFailed

log = logging.getLogger(__name__)


class _DraftModel(BaseModel):
    headline: str = ""
    summary: str = ""
    event_type: str
    location: str | None = None
    participants: list[dict[str, str | None]] = []
    key_points: list[int] = []
    topics: list[str] = []
    agreements: list[int] = []
    disagreements: list[int] = []
    next_steps: list[int] = []
    tone: str = "neutral"


def parse_draft(text: str) -> Draft:
    return Draft(**_DraftModel.model_validate_json(text).model_dump())


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
            return parse_draft(result.text), result
        except ValidationError as exc:
            first_error = f"{exc.error_count()} validation errors"
            log.warning("model output invalid on attempt 1: %s", first_error)
        budget = request.max_new_tokens * (2 if result.truncated else 1)
        retry = self.engine.generate(replace(
            request, max_new_tokens=budget, repetition_penalty=self.repetition_penalty + 0.1,
        ))
        try:
            return parse_draft(retry.text), retry
        except ValidationError as exc:
            raise GenerationFailed(
                "the model's output could not be parsed into a brief after 2 attempts "
                f"({exc.error_count()} validation errors)"
            ) from exc


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
    return Draft(
        headline=first.headline,
        summary=first.summary,
        event_type=first.event_type,
        location=first.location or next((d.location for d in drafts if d.location), None),
        participants=[p for d in drafts for p in d.participants],
        key_points=_round_robin([d.key_points for d in drafts]),
        topics=[t for d in drafts for t in d.topics],
        agreements=_round_robin([d.agreements for d in drafts]),
        disagreements=_round_robin([d.disagreements for d in drafts]),
        next_steps=_round_robin([d.next_steps for d in drafts]),
        tone=first.tone,
    )
