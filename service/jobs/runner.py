"""Briefs (or compares: service/jobs/items.py) the items of stored jobs, in the background, on
the same generation slots as the interactive requests but after them
(`Slots.acquire_background`); deletes finished jobs past their retention and expires queued
ones past their time limit; tells callback URLs. Runs as tasks on the app's event loop, the
briefs in worker threads as the interactive ones are (service/brief/runner.py).

Each item is claimed with a lease in the store's name for this runner (`worker`: host, pid
and a random tag, new at each start). A heartbeat renews the leases of the items running
here (every third of the lease) and looks every second whether their jobs were cancelled,
on whichever replica: a cancelled job's running item stops within a second or two. An item
whose lease was lost (this process stalled past it, and another replica took the item) is
stopped too, and its result is not written."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from service.brief.pipeline import BriefPipeline
from service.brief.runner import BriefRun
from service.errors import BriefError, Cancelled, stopped
from service.jobs.callbacks import CallbackSender
from service.jobs.items import run_item, stored_item
from service.jobs.store import TERMINAL, Callback, Claim, JobStore

log = logging.getLogger(__name__)
_IDLE_POLL_S = 1.0
_ERROR_BACKOFF_S = 2.0
# How often a replica asks whether the jobs of the items it holds were cancelled elsewhere
# (one indexed query, only while it holds items): a cancel stops an item within this.
_CANCEL_POLL_S = 0.25
MAX_LEASE_S = 30.0


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
        queue_ttl_h: float = 24.0, lease_s: float = MAX_LEASE_S,
        callbacks: CallbackSender | None = None, callback_concurrency: int = 8,
        on_change: Callable[[], None] = lambda: None,
        on_job_finished: Callable[[float], None] = lambda seconds: None,
    ) -> None:
        self.store = store
        self.slots = slots
        self._pipeline = pipeline
        self.workers = workers
        self.request_timeout_s = request_timeout_s
        self.retention_s = retention_h * 3600
        self.queue_ttl_s = queue_ttl_h * 3600
        self.lease_s = min(lease_s, MAX_LEASE_S)
        self.callbacks = callbacks
        self.callback_concurrency = callback_concurrency
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._on_change = on_change
        self._on_job_finished = on_job_finished
        self._wake = asyncio.Event()
        self._claims: dict[Claim, threading.Event] = {}
        """The items running here, each with the event that stops its brief."""
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
        self._tasks.append(asyncio.create_task(self._heartbeat()))
        await asyncio.to_thread(self._on_change)

    async def stop(self) -> None:
        """Stops briefing: the items running here go back to the queue, for another replica
        now (or this one at its next start). If the store cannot be reached they stay
        claimed, and are claimed again once their leases run out (as after a crash)."""
        held = list(self._claims)
        for event in self._claims.values():
            event.set()
        tasks = [*self._tasks, *self._deliveries]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        try:
            await asyncio.to_thread(self.store.release, held)
        except Exception:
            log.exception("job items in hand could not be given back; their leases will run "
                          "out")

    def notify(self) -> None:
        """A job was created: wake an idle worker now rather than at its next poll."""
        self._wake.set()

    def cancel(self, job_id: str) -> None:
        """Stops this replica's running items of `job_id` now (other replicas see the
        cancel at their next heartbeat)."""
        for claim, event in list(self._claims.items()):
            if claim.job_id == job_id:
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
                claim = await asyncio.to_thread(self.store.claim, self.worker, self.lease_s)
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
        self._claims[claim] = cancel
        # A DELETE between the claim and here found no event to set: look once more.
        if await asyncio.to_thread(self.store.stopped_jobs, [claim.job_id]):
            cancel.set()
        try:
            brief_json, error, status = await self._outcome(pipeline, claim, cancel)
        finally:
            self._claims.pop(claim, None)
        job_status = await asyncio.to_thread(self.store.finish, claim, brief_json, error, status)
        if job_status is None:
            log.warning("a job item's lease was lost (another worker has it); its result is "
                        "not written", extra={"job": claim.job_id, "item": claim.index})
            return
        if job_status in TERMINAL:
            view = await asyncio.to_thread(self.store.get_any, claim.job_id)
            if view is not None:
                self._on_job_finished(max(0.0, time.time() - view.created_at))
        await asyncio.to_thread(self._on_change)

    async def _outcome(
        self, pipeline: BriefPipeline, claim: Claim, cancel: threading.Event,
    ) -> tuple[str | None, dict[str, Any] | None, str]:
        """(the brief's or the comparison's JSON, error, item status). A stop of this task
        (shutdown) propagates with the item unfinished in the store."""
        deadline = time.monotonic() + self.request_timeout_s
        try:
            item = stored_item(claim.request)
            run = BriefRun(lambda stop: run_item(pipeline, item, stop), deadline, cancel=cancel)
            await run.watch()  # a shutdown's cancellation: the item is left to brief again
            result = run.future.result()
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
        return result.model_dump_json(), None, "done"

    async def _heartbeat(self) -> None:
        """Renews the leases of the items (and callbacks) in hand here; stops the items whose
        job was cancelled or whose lease was lost."""
        renew_every = self.lease_s / 3
        last_renewal = time.monotonic()
        while True:
            await asyncio.sleep(_CANCEL_POLL_S)
            try:
                claims = list(self._claims)
                lost: list[Claim] = []
                if time.monotonic() - last_renewal >= renew_every:
                    last_renewal = time.monotonic()
                    lost = await asyncio.to_thread(self.store.renew, claims, self.lease_s)
                    await asyncio.to_thread(self.store.renew_callbacks, list(self._delivering),
                                            self.worker, self.lease_s)
                if not claims:
                    continue  # nothing in hand to stop: no query
                stopped = await asyncio.to_thread(self.store.stopped_jobs,
                                                  sorted({c.job_id for c in claims}))
                for claim in claims:
                    if claim in lost or claim.job_id in stopped:
                        event = self._claims.get(claim)
                        if event is not None:
                            event.set()
            except asyncio.CancelledError:
                raise
            except RuntimeError as exc:
                if _interpreter_exiting(exc):
                    return
                log.exception("renewing job leases failed; trying again shortly")
            except Exception:
                log.exception("renewing job leases failed; trying again shortly")

    async def _housekeeping(self) -> None:
        purge_every = max(0.5, min(60.0, self.retention_s / 10, self.queue_ttl_s / 10))
        last_purge = 0.0
        while True:
            try:
                now = time.monotonic()
                if now - last_purge >= purge_every:
                    last_purge = now
                    # One replica at a time (the store's lock); None: another is at it.
                    done = await asyncio.to_thread(self.store.housekeep,
                                                   time.time() - self.retention_s,
                                                   time.time() - self.queue_ttl_s)
                    if done is not None and any(done):
                        log.info("finished jobs past their retention deleted, queued jobs "
                                 "past their time limit expired",
                                 extra={"purged": done[0], "expired": done[1]})
                        await asyncio.to_thread(self._on_change)
                free = self.callback_concurrency - len(self._delivering)
                if self.callbacks is not None and free > 0:
                    for callback in await asyncio.to_thread(
                            self.store.claim_callbacks, self.worker, self.lease_s, free):
                        self._delivering.add(callback.job_id)
                        task = asyncio.create_task(self._deliver(callback))
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

    async def _deliver(self, callback: Callback) -> None:
        assert self.callbacks is not None
        try:
            delivered = await self.callbacks.deliver(callback.url, callback.payload,
                                                     callback.owner)
            await asyncio.to_thread(self.store.callback_done, callback.job_id, self.worker,
                                    delivered)
        except Exception:
            log.exception("recording a callback's delivery failed")
        finally:
            self._delivering.discard(callback.job_id)
