"""Admission control: a bounded number of generations in flight and a bounded queue.

Beyond both bounds a request is refused at once (429 with Retry-After) instead of piling up;
a request that waits past its deadline gets 504. A freed slot is handed straight to the first
waiter, so neither bound is ever exceeded, not even for an instant. Runs on the event loop only.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from service.errors import DeadlineExceeded, Overloaded


class AdmissionController:
    def __init__(self, max_concurrency: int, max_queue: int) -> None:
        self.max_concurrency = max_concurrency
        self.max_queue = max_queue
        self.running = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._recent_durations: deque[float] = deque(maxlen=20)
        self._freed = asyncio.Event()

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    def retry_after_s(self) -> int:
        """A fair guess at when a place frees up: the recent mean generation time."""
        recent = self._recent_durations
        mean = sum(recent) / len(recent) if recent else 10.0
        return max(1, round(mean * (self.waiting + 1) / self.max_concurrency))

    async def _acquire(self, deadline: float) -> None:
        if self.running < self.max_concurrency:
            self.running += 1
            return
        if self.waiting >= self.max_queue:
            raise Overloaded(
                f"the service is busy ({self.running} briefs in progress, {self.waiting} "
                "queued); retry later",
                retry_after_s=self.retry_after_s(),
            )
        handed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(handed)
        try:
            await asyncio.wait({handed}, timeout=max(0.0, deadline - time.monotonic()))
        except asyncio.CancelledError:
            self._give_up(handed)
            raise
        if not handed.done():
            self._give_up(handed)
            raise DeadlineExceeded("the request timed out waiting for a free model slot")

    def _give_up(self, handed: asyncio.Future[None]) -> None:
        if handed.done():
            self._release()  # the slot arrived as we left: pass it on
        else:
            self._waiters.remove(handed)
            handed.cancel()
            self._freed.set()  # background work may be waiting for the queue to empty

    def _release(self) -> None:
        while self._waiters:
            handed = self._waiters.popleft()
            if not handed.done():
                handed.set_result(None)  # the slot goes to the waiter; running stays the same
                return
        self.running -= 1
        self._freed.set()

    async def acquire_background(self) -> float:
        """A slot for background work (brief jobs): taken only when no interactive request
        waits and, with more than one slot, never the last free one. Interactive requests
        come first; a job waits in the store, not in this queue, and never causes a 429."""
        reserve = 1 if self.max_concurrency > 1 else 0
        while self._waiters or self.running + reserve >= self.max_concurrency:
            self._freed.clear()
            await self._freed.wait()
        self.running += 1
        return time.monotonic()

    async def acquire(self, deadline: float) -> float:
        """A slot, for a holder that gives it back from elsewhere (a streamed brief's own
        task): the returned start time goes back to `release`."""
        await self._acquire(deadline)
        return time.monotonic()

    def release(self, started: float, *, worked: bool = True) -> None:
        """`worked`: the slot ran a brief (its time counts in Retry-After's estimate);
        background work that found nothing to do says False."""
        if worked:
            self._recent_durations.append(time.monotonic() - started)
        self._release()

    @asynccontextmanager
    async def slot(self, deadline: float) -> AsyncIterator[None]:
        started = await self.acquire(deadline)
        try:
            yield
        finally:
            self.release(started)
