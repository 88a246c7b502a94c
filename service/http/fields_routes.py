"""GET /v1/fields: the brief's sentence fields (key points, agreements, ...) with their labels,
read from the draft's registry (brief/draft.py), so that a client such as the analyst page
(assets/page.js) shows every one the brief has without keeping a copy of the list."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from service.brief.draft import SENTENCE_FIELDS
from service.http.error_handlers import error_body

router = APIRouter()


class SentenceFieldInfo(BaseModel):
    name: str = Field(..., description='The brief\'s property, a list of the article\'s '
                      'sentences; its items\' evidence is named `name[i]`.')
    label: str = Field(..., description='The list\'s title: "Key points".')
    item: str = Field(..., description='One item of it: "key point".')
    outcome: bool = Field(..., description="What came of the event (agreements, next steps), "
                          "rather than what the article says of it.")


class BriefFields(BaseModel):
    sentence_fields: list[SentenceFieldInfo] = Field(
        ..., description="In the order the brief has them.")


_FIELDS = BriefFields(sentence_fields=[
    SentenceFieldInfo(name=f.name, label=f.label, item=f.item, outcome=f.outcome)
    for f in SENTENCE_FIELDS
])
_UNAUTHORIZED = {"description": "Error", "content": {"application/json": {"example": error_body(
    "unauthorized", "a valid API key is required: Authorization: Bearer <key>")}}}


@router.get("/v1/fields", tags=["briefs"], response_model=BriefFields,
            responses={401: _UNAUTHORIZED})
async def brief_fields() -> BriefFields:
    """The brief's lists of the article's sentences, with their labels."""
    return _FIELDS
