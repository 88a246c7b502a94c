"""The request to compare readouts: two to four articles, each as a brief's request. The body of
`POST /v1/compare`, and a compare item of a job or of `brief batch`."""

from __future__ import annotations

from pydantic import BaseModel, Field

from service.compare.schemas import MAX_ARTICLES, MIN_ARTICLES
from service.schemas import BriefRequest


class CompareRequest(BaseModel):
    """The articles to compare, in order: the first is `a`, the second `b`."""

    articles: list[BriefRequest] = Field(..., min_length=MIN_ARTICLES, max_length=MAX_ARTICLES)
