"""Two to four articles about one event to their comparison: the ordinary brief of each (all
their model calls decoded as one batch), then the alignment of their points (build.py)."""

from __future__ import annotations

import threading
import time

from service.brief.cancellation import stop_if_cancelled
from service.brief.pipeline import BriefPipeline
from service.brief.progress import ProgressListener
from service.compare.build import compare_articles
from service.compare.schemas import (
    MAX_ARTICLES,
    MIN_ARTICLES,
    CompareMeta,
    Comparison,
    MultiComparison,
)
from service.errors import InvalidInput
from service.schemas import BriefRequest


class Comparer:
    def __init__(self, pipeline: BriefPipeline) -> None:
        self.pipeline = pipeline

    def compare(
        self, requests: list[BriefRequest], cancel: threading.Event | None = None,
        progress: ProgressListener | None = None,
    ) -> Comparison | MultiComparison:
        if not MIN_ARTICLES <= len(requests) <= MAX_ARTICLES:
            raise InvalidInput(f"articles: send {MIN_ARTICLES} to {MAX_ARTICLES} articles to "
                               f"compare, not {len(requests)}")
        started = time.perf_counter()
        articles = self.pipeline.run_batch(requests, cancel, progress)
        stop_if_cancelled(cancel)
        briefed = time.perf_counter()
        aligned = compare_articles(articles)
        done = time.perf_counter()
        meta = CompareMeta(
            latency_ms=int((done - started) * 1000), briefs_ms=int((briefed - started) * 1000),
            align_ms=int((done - briefed) * 1000), points=[len(p) for p in aligned.points],
            similarity="tfidf",
        )
        briefs = [item.brief for item in articles]
        if len(briefs) == 2:
            return Comparison(
                same_event=aligned.same.same, same_event_reason=aligned.same.reason,
                a=briefs[0], b=briefs[1], shared=aligned.shared, only_a=aligned.only[0],
                only_b=aligned.only[1], differences=aligned.differences, meta=meta,
            )
        return MultiComparison(
            same_event=aligned.same.same, same_event_reason=aligned.same.reason, briefs=briefs,
            shared=aligned.shared, only=aligned.only, differences=aligned.differences, meta=meta,
        )
