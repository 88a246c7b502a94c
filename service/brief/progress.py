"""What a brief is doing now, told as it goes to whoever asked (the streaming endpoint, and
through it the analyst page): the stage, the model calls done of all, the tokens written.

Stage changes are told at once; token counts at most every `interval_s`, so an engine that
reports every token does not flood the listener. Reports come from the pipeline's thread and
the engine's; the listener is called from either and must be cheap and thread-safe."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

log = logging.getLogger(__name__)

Stage = Literal["finding", "selecting", "writing", "grounding", "translating"]
STAGE_WORDS: dict[str, str] = {
    "finding": "finding people, dates and quotes",
    "selecting": "choosing the sentences of a long article to read",
    "writing": "the model is writing the brief",
    "grounding": "checking every item against the source",
    "translating": "putting the brief into English",
}


@dataclass(frozen=True)
class Progress:
    stage: Stage
    parts: int = 0
    """Model calls the brief needs at this stage (the parts of a long article); 0 outside
    the model's stages."""
    parts_done: int = 0
    tokens: int = 0
    """Tokens the model has written so far at this stage, all calls together."""

    @property
    def words(self) -> str:
        return STAGE_WORDS[self.stage]


ProgressListener = Callable[[Progress], None]


class ProgressReporter:
    """Turns the pipeline's stage changes and the engine's token counts into `Progress`."""

    def __init__(self, listener: ProgressListener | None, interval_s: float = 0.5) -> None:
        self._listener = listener
        self._interval_s = interval_s
        self._lock = threading.Lock()
        self._now = Progress("finding")
        self._per_call: list[int] = []
        self._last_told = 0.0

    @property
    def enabled(self) -> bool:
        return self._listener is not None

    def stage(self, stage: Stage, parts: int = 0) -> None:
        with self._lock:
            self._per_call = [0] * parts
            self._now = Progress(stage, parts=parts)
        self._tell(force=True)

    def token_listener(self, call: int) -> Callable[[int, bool], None] | None:
        """For the engine (`GenerationRequest.on_tokens`): call number `call`'s tokens written
        so far, and whether it has finished. None when nobody listens."""
        if self._listener is None:
            return None
        finished_once = threading.Event()

        def written(tokens: int, finished: bool) -> None:
            with self._lock:
                if call >= len(self._per_call):
                    return
                self._per_call[call] = tokens
                done = self._now.parts_done
                newly_finished = finished and not finished_once.is_set()
                if newly_finished:
                    finished_once.set()
                    done = min(self._now.parts, done + 1)
                self._now = replace(self._now, tokens=sum(self._per_call), parts_done=done)
            self._tell(force=newly_finished)

        return written

    def _tell(self, *, force: bool) -> None:
        if self._listener is None:
            return
        now = time.monotonic()
        with self._lock:
            if not force and now - self._last_told < self._interval_s:
                return
            self._last_told = now
            progress = self._now
        try:
            self._listener(progress)
        except Exception:  # a listener's failure must never fail the brief
            log.exception("progress listener failed")
