"""Briefs the items of stored jobs, in the background, on the same generation slots as the
interactive requests but after them (`Slots.acquire_background`); deletes finished jobs past
their retention; tells callback URLs. Runs as tasks on the app's event loop, the briefs in
worker threads as the interactive ones are."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from service.brief.pipeline import BriefPipeline
from service.errors import BriefError, Cancelled, stopped
from service.jobs.callbacks import CallbackSender
from service.jobs.store import TERMINAL, Claim, JobStore
from service.schemas import BriefRequest

log = logging.getLogger(__name__)
_IDLE_POLL_S = 1.0
_ERROR_BACKOFF_S = 2.0


class Slots(Protocol):
    async def acquire_background(self) -> float: ...

    def release(self, started: float, *, worked: bool = True) -> None: ...


def _interpreter_exiting(exc: RuntimeError) -> bool:
    """The thread pool is gone: the process is exiting (stdlib's own wording)."""
    return "after shutdown" in str(exc) or "interpreter shutdown" in str(exc)


def item_error(code: str, message: str, status: int) -> dict[str, Any]:
    """A failed item's record: the API's error object and its HTTP status."""
    return {"error": {"code": code, "message": message}, "status": status}


class JobRunner:
    def __init__(
        self, store: JobStore, slots: Slots, pipeline: Callable[[], BriefPipeline | None], *,
        workers: int, request_timeout_s: float, retention_h: float,
        callbacks: CallbackSender | None = None,
        on_change: Callable[[], None] = lambda: None,
        on_job_finished: Callable[[float], None] = lambda seconds: None,
    ) -> None:
        self.store = store
        self.slots = slots
        self._pipeline = pipeline
        self.workers = workers
        self.request_timeout_s = request_timeout_s
        self.retention_s = retention_h * 3600
        self.callbacks = callbacks
        self._on_change = on_change
        self._on_job_finished = on_job_finished
        self._wake = asyncio.Event()
        self._running: dict[str, set[threading.Event]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._delivering: set[str] = set()
        self._deliveries: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        requeued = await asyncio.to_thread(self.store.requeue_interrupted)
        if requeued:
            log.info("job items interrupted by a restart are queued again",
                     extra={"items": requeued})
        self._tasks = [asyncio.create_task(self._work()) for _ in range(self.workers)]
        self._tasks.append(asyncio.create_task(self._housekeeping()))
        await asyncio.to_thread(self._on_change)

    async def stop(self) -> None:
        """Stops briefing: a running item is left as it is, to be briefed again at the next
        start (as after a crash)."""
        for events in self._running.values():
            for event in events:
                event.set()
        tasks = [*self._tasks, *self._deliveries]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def notify(self) -> None:
        """A job was created: wake an idle worker now rather than at its next poll."""
        self._wake.set()

    def cancel(self, job_id: str) -> None:
        for event in self._running.get(job_id, ()):
            event.set()

    async def _work(self) -> None:
        while True:
            pipeline = self._pipeline()
            if pipeline is None:  # the model is still loading
                await asyncio.sleep(0.5)
                continue
            claim = None
            started = await self.slots.acquire_background()
            try:
                claim = await asyncio.to_thread(self.store.claim)
                if claim is not None:
                    await self._brief(pipeline, claim)
            except asyncio.CancelledError:
                raise
            except RuntimeError as exc:
                if _interpreter_exiting(exc):  # an app whose lifespan never ended, at exit
                    return
                log.exception("a job worker failed; trying again shortly")
                await asyncio.sleep(_ERROR_BACKOFF_S)
            except Exception:
                # The store failing (a locked or full disk) must not end this worker: the
                # item stays as it is (briefed again after a restart at worst) and it tries
                # again shortly.
                log.exception("a job worker failed; trying again shortly")
                await asyncio.sleep(_ERROR_BACKOFF_S)
            finally:
                self.slots.release(started, worked=claim is not None)
            if claim is None:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), _IDLE_POLL_S)

    async def _brief(self, pipeline: BriefPipeline, claim: Claim) -> None:
        cancel = threading.Event()
        self._running.setdefault(claim.job_id, set()).add(cancel)
        # A DELETE between the claim and here found no event to set: look once more.
        view = await asyncio.to_thread(self.store.get_any, claim.job_id)
        if view is None or view.status == "cancelled":
            cancel.set()
        try:
            brief_json, error, status = await self._outcome(pipeline, claim, cancel)
        finally:
            events = self._running.get(claim.job_id, set())
            events.discard(cancel)
            if not events:
                self._running.pop(claim.job_id, None)
        job_status = await asyncio.to_thread(self.store.finish, claim, brief_json, error, status)
        if job_status in TERMINAL:
            view = await asyncio.to_thread(self.store.get_any, claim.job_id)
            if view is not None:
                self._on_job_finished(max(0.0, time.time() - view.created_at))
        await asyncio.to_thread(self._on_change)

    async def _outcome(
        self, pipeline: BriefPipeline, claim: Claim, cancel: threading.Event,
    ) -> tuple[str | None, dict[str, Any] | None, str]:
        """(brief JSON, error, item status). A stop of this task (shutdown) propagates with
        the item unfinished in the store."""
        deadline = time.monotonic() + self.request_timeout_s
        try:
            request = BriefRequest.model_validate_json(claim.request)
            work = asyncio.ensure_future(asyncio.to_thread(pipeline.run, request, cancel))
            try:
                while not work.done():
                    await asyncio.wait({work}, timeout=0.25)
                    if time.monotonic() > deadline:
                        cancel.set()
            except asyncio.CancelledError:
                cancel.set()
                await asyncio.wait({work})
                if not work.cancelled():
                    work.exception()  # retrieved: the item is left to be briefed again
                raise
            brief = work.result()
        except Cancelled:
            if time.monotonic() > deadline:
                late = stopped("timeout")
                return None, item_error(late.code, late.message, late.status), "failed"
            return None, item_error("cancelled", "the job was cancelled", 499), "cancelled"
        except BriefError as exc:
            return None, item_error(exc.code, exc.message, exc.status), "failed"
        except Exception:
            log.exception("unexpected error briefing a job item")
            return None, item_error("internal_error", "an unexpected error occurred; it has "
                                    "been logged", 500), "failed"
        return brief.model_dump_json(), None, "done"

    async def _housekeeping(self) -> None:
        purge_every = max(0.5, min(60.0, self.retention_s / 10))
        last_purge = 0.0
        while True:
            try:
                now = time.monotonic()
                if now - last_purge >= purge_every:
                    last_purge = now
                    purged = await asyncio.to_thread(self.store.purge,
                                                     time.time() - self.retention_s)
                    if purged:
                        log.info("finished jobs past their retention deleted",
                                 extra={"jobs": purged})
                        await asyncio.to_thread(self._on_change)
                if self.callbacks is not None:
                    for job_id, url, payload in await asyncio.to_thread(
                            self.store.pending_callbacks):
                        if job_id not in self._delivering:
                            self._delivering.add(job_id)
                            task = asyncio.create_task(self._deliver(job_id, url, payload))
                            self._deliveries.add(task)
                            task.add_done_callback(self._deliveries.discard)
            except asyncio.CancelledError:
                raise
            except RuntimeError as exc:
                if _interpreter_exiting(exc):
                    return
                log.exception("job housekeeping failed; trying again shortly")
            except Exception:
                log.exception("job housekeeping failed; trying again shortly")
            await asyncio.sleep(min(purge_every, 1.0))

    async def _deliver(self, job_id: str, url: str, payload: dict[str, Any]) -> None:
        assert self.callbacks is not None
        try:
            delivered = await self.callbacks.deliver(url, payload)
            await asyncio.to_thread(self.store.callback_done, job_id, delivered)
        except Exception:
            log.exception("recording a callback's delivery failed")
        finally:
            self._delivering.discard(job_id)
