"""Admission control: a bounded number of generations in flight and a bounded queue.

Beyond both bounds a request is refused at once (429 with Retry-After) instead of piling up;
a request that waits past its deadline gets 504. Runs on the event loop: no locks needed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from service.errors import DeadlineExceeded, Overloaded


class AdmissionController:
    def __init__(self, max_concurrency: int, max_queue: int) -> None:
        self.max_concurrency = max_concurrency
        self.max_queue = max_queue
        self._slots = asyncio.Semaphore(max_concurrency)
        self.waiting = 0
        self.running = 0
        self.max_waiting_seen = 0
        self._recent_durations: list[float] = []

    def retry_after_s(self) -> int:
        """A fair guess at when a place frees up: the recent mean generation time."""
        recent = self._recent_durations[-20:]
        mean = sum(recent) / len(recent) if recent else 10.0
        return max(1, round(mean * (self.waiting + 1) / self.max_concurrency))

    async def _acquire_before(self, deadline: float) -> bool:
        acquire = asyncio.ensure_future(self._slots.acquire())
        done, _ = await asyncio.wait({acquire}, timeout=max(0.0, deadline - time.monotonic()))
        if done:
            return True
        acquire.cancel()
        try:
            await acquire
        except asyncio.CancelledError:
            return False
        self._slots.release()  # acquired in the instant before the cancel: give it back
        return False

    @asynccontextmanager
    async def slot(self, deadline: float) -> AsyncIterator[None]:
        if self.running >= self.max_concurrency and self.waiting >= self.max_queue:
            raise Overloaded(
                f"the service is busy ({self.running} briefs in progress, {self.waiting} "
                "queued); retry later",
                headers={"Retry-After": str(self.retry_after_s())},
            )
        self.waiting += 1
        self.max_waiting_seen = max(self.max_waiting_seen, self.waiting)
        try:
            acquired = await self._acquire_before(deadline)
        finally:
            self.waiting -= 1
        if not acquired:
            raise DeadlineExceeded("the request timed out waiting for a free model slot")
        self.running += 1
        started = time.monotonic()
        try:
            yield
        finally:
            self.running -= 1
            self._recent_durations = [*self._recent_durations[-19:], time.monotonic() - started]
            self._slots.release()
