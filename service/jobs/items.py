"""What one item of a job (or one line of `brief batch`) asks for, and doing it: one article's
brief (what `POST /v1/briefs` takes), or a comparison of two to four articles
(`{"articles": [...]}`, what `POST /v1/compare` takes), whose result is the comparison.

An item is stored as its request's JSON; the two kinds cannot be mistaken for each other,
since a brief's request has no `articles` field (BriefRequest forbids unknown fields)."""

from __future__ import annotations

import json
import threading
from typing import Any, Literal

from service.brief.pipeline import BriefPipeline
from service.compare.comparer import Comparer
from service.compare.request import CompareRequest
from service.compare.schemas import Comparison, MultiComparison
from service.schemas import Brief, BriefRequest

ItemKind = Literal["brief", "compare"]
ItemRequest = BriefRequest | CompareRequest
ItemResult = Brief | Comparison | MultiComparison

RESULT_FIELD: dict[str, str] = {"brief": "brief", "compare": "comparison"}
"""The field a finished item's result is given under (a job's item, a batch record)."""


def result_of(record: dict[str, Any]) -> dict[str, Any] | None:
    """A finished item's result in a job's item or a batch record: its brief or comparison."""
    for field in RESULT_FIELD.values():
        if field in record:
            value: dict[str, Any] = record[field]
            return value
    return None


def is_compare(fields: dict[str, Any]) -> bool:
    """Whether a request's fields ask for a comparison rather than a brief."""
    return "articles" in fields


def kind_of(item: ItemRequest) -> ItemKind:
    return "compare" if isinstance(item, CompareRequest) else "brief"


def item_request(fields: object) -> ItemRequest:
    """An item from its request's fields (pydantic's ValidationError if it is not one)."""
    if isinstance(fields, dict) and is_compare(fields):
        return CompareRequest.model_validate(fields)
    return BriefRequest.model_validate(fields)


def stored_item(stored: str) -> ItemRequest:
    """An item from its stored JSON (ValueError, or pydantic's ValidationError, if it is not
    one)."""
    return item_request(json.loads(stored))


def stored_json(item: ItemRequest) -> str:
    """What the store keeps of an item: its request, without the fields left unset."""
    return item.model_dump_json(exclude_none=True)


def run_item(pipeline: BriefPipeline, item: ItemRequest,
             cancel: threading.Event | None = None) -> ItemResult:
    """The item's brief, or its articles' comparison (their briefs decoded as one batch)."""
    if isinstance(item, CompareRequest):
        return Comparer(pipeline).compare(item.articles, cancel)
    return pipeline.run(item, cancel)
