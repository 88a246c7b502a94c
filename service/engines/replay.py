"""An engine that answers each request it has seen before from a file, and asks the engine it
wraps only for the others: `brief eval --replay FILE` measures a change to everything after
the model (grounding, topics, the summary's rules) on the model's own earlier drafts, in
about a minute for the four development sets instead of ten, and with the drafts held fixed,
so that every difference in the scores is the change's.

A request is known by what the model reads and how it is asked to write (the messages, the
schema, the token budget and the repetition penalty): a change to the prompt, or to the
sentences an article is cut into, asks the model again. The file is JSON, written when the
engine closes."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from service.engines.base import Engine, EngineInfo, GenerationRequest, GenerationResult


def request_key(request: GenerationRequest) -> str:
    """What makes two requests the same to the model."""
    key = json.dumps([request.messages, request.json_schema, request.max_new_tokens,
                      request.repetition_penalty], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ReplayEngine:
    """`inner`, with the answers to requests seen before (in `path`) given again."""

    def __init__(self, inner: Engine, path: Path) -> None:
        self.inner = inner
        self.path = path
        self.answers: dict[str, dict[str, Any]] = (
            json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {})
        self.asked = 0
        """How many requests went to `inner` (none, when every one was seen before)."""

    @property
    def info(self) -> EngineInfo:
        return self.inner.info

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def health(self) -> str | None:
        return self.inner.health()

    def generate(self, request: GenerationRequest) -> GenerationResult:
        return self.generate_batch([request])[0]

    def generate_batch(self, requests: list[GenerationRequest]) -> list[GenerationResult]:
        new = [r for r in requests if request_key(r) not in self.answers]
        if new:
            self.asked += len(new)
            for request, result in zip(new, self.inner.generate_batch(new), strict=True):
                self.answers[request_key(request)] = dataclasses.asdict(result)
        return [GenerationResult(**self.answers[request_key(r)]) for r in requests]

    def close(self) -> None:
        try:
            # Written whole, then moved: an interrupted run leaves the old file, not half.
            partial = self.path.with_name(self.path.name + ".partial")
            partial.write_text(json.dumps(self.answers, ensure_ascii=False), encoding="utf-8")
            os.replace(partial, self.path)
        finally:
            self.inner.close()
