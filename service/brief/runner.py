"""One brief (or comparison) run under its deadline: the blocking pipeline in a worker thread,
its cancel event set when the deadline passes or the caller stops wanting it, and the thread
waited for even when the caller itself is cancelled (a shutdown). The plain route, the stream
and the job worker all run their work through `BriefRun`, so they stop for the same reasons
and tell it with the same errors (`service.errors.stopped`).

The slot a caller holds (admission, a job's claim) may be given back only when the worker
thread has really stopped: otherwise the concurrency bound would be a lie. `watch` returns
only then, whichever way it ends."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import anyio.to_thread

from service.errors import Cancelled, EngineUnavailable, stopped

T = TypeVar("T")
POLL_S = 0.25
"""How often the deadline and the caller are looked at: a stop takes effect within this."""
SHUTTING_DOWN = "server shutting down"

ShouldStop = Callable[[], Awaitable[bool]]
"""Asked every POLL_S while the work runs: True once the caller no longer wants it (a client
that disconnected, a stream nobody reads)."""


class BriefRun(Generic[T]):
    """`work(cancel)` started in a worker thread (anyio's, the pool the HTTP routes use).
    `cancel` is the caller's own event when it must be set from elsewhere too (a job
    cancelled on another replica), else a new one."""

    def __init__(self, work: Callable[[threading.Event], T], deadline: float, *,
                 cancel: threading.Event | None = None) -> None:
        self.deadline = deadline
        self.cancel = cancel if cancel is not None else threading.Event()
        self.reason: str | None = None
        """Why this run stopped the work ("timeout", the caller's reason, SHUTTING_DOWN);
        None while it has not (a cancel set from outside leaves it None)."""
        self.future: asyncio.Future[T] = asyncio.ensure_future(
            anyio.to_thread.run_sync(work, self.cancel))

    def stop(self, reason: str) -> None:
        """Asks the work to stop; the first reason given is the one told."""
        if self.reason is None:
            self.reason = reason
        self.cancel.set()

    async def watch(self, should_stop: ShouldStop | None = None,
                    reason: str = "client disconnected") -> None:
        """Returns once the worker thread has finished. Stops the work at the deadline
        ("timeout") or once `should_stop` says so (`reason`). If this task is cancelled, the
        work is stopped (SHUTTING_DOWN) and waited for before the cancellation goes on."""
        try:
            while not self.future.done():
                await asyncio.wait({self.future}, timeout=POLL_S)
                if self.future.done() or self.cancel.is_set():
                    continue
                if time.monotonic() > self.deadline:
                    self.stop("timeout")
                elif should_stop is not None and await should_stop():
                    self.stop(reason)
        except BaseException:
            self.stop(SHUTTING_DOWN)
            await asyncio.wait({self.future})
            self.retrieve()
            raise

    def retrieve(self) -> BaseException | None:
        """The finished work's exception, marked as seen: a run whose result nobody reads
        (a stream whose listener left) ends without an 'exception never retrieved'."""
        if not self.future.done() or self.future.cancelled():
            return None
        return self.future.exception()

    def result(self) -> T:
        """The finished work's result; the error to tell if it was stopped (`stopped`),
        or what else it raised."""
        try:
            return self.future.result()
        except Cancelled as exc:
            raise stopped(self.reason) from exc


async def run_brief(work: Callable[[threading.Event], T], deadline: float,
                    should_stop: ShouldStop | None = None) -> T:
    """`work` run to its result under `deadline`, stopped if `should_stop` says so (a client
    that left: 499). A caller cancelled by a shutdown gets a 503 to tell its client, once the
    work has stopped, rather than a bare cancellation (a 500)."""
    run = BriefRun(work, deadline)
    try:
        await run.watch(should_stop)
    except asyncio.CancelledError:
        if isinstance(run.retrieve(), Cancelled):
            raise EngineUnavailable(
                "the server is shutting down; the brief was stopped, retry shortly"
            ) from None
        raise
    return run.result()
