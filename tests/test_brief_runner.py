"""The one brief runner (service/brief/runner.py) on its own: blocking work in a thread that
stops when its deadline passes, when its caller stops wanting it, or when the caller itself is
cancelled, and returns its result when left alone. The work here is a loop that waits on its
cancel event, as the pipeline's model calls do."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from service.brief.runner import SHUTTING_DOWN, BriefRun, run_brief
from service.errors import (
    Cancelled,
    ClientClosedRequest,
    DeadlineExceeded,
    EngineUnavailable,
    InvalidInput,
)


class _Work:
    """Runs until told to stop (raising Cancelled, as the engines do) or until `seconds` are
    up (returning what it was given). Records what it saw."""

    def __init__(self, seconds: float, answer: str = "the brief") -> None:
        self.seconds = seconds
        self.answer = answer
        self.cancel: threading.Event | None = None
        self.finished = threading.Event()

    def __call__(self, cancel: threading.Event) -> str:
        self.cancel = cancel
        try:
            if cancel.wait(self.seconds):
                raise Cancelled("generation cancelled")
            return self.answer
        finally:
            self.finished.set()


def test_work_left_alone_returns_its_result() -> None:
    work = _Work(0.05, "a brief of the talks")
    result = asyncio.run(run_brief(work, time.monotonic() + 30))
    assert result == "a brief of the talks"
    assert work.cancel is not None and not work.cancel.is_set()


def test_the_deadline_sets_the_cancel_event_and_says_timeout() -> None:
    work = _Work(30)

    async def scenario() -> float:
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded, match="deadline"):
            await run_brief(work, time.monotonic() + 0.3)
        return time.monotonic() - started

    assert asyncio.run(scenario()) < 5  # stopped near its deadline, not at its 30 s end
    assert work.cancel is not None and work.cancel.is_set()
    assert work.finished.is_set()  # returned only once the thread had stopped


def test_a_caller_that_stops_wanting_it_cancels_it_with_its_reason() -> None:
    work = _Work(30)
    asked = 0

    async def gone_after_two_looks() -> bool:
        nonlocal asked
        asked += 1
        return asked >= 2

    async def scenario() -> None:
        with pytest.raises(ClientClosedRequest, match="client disconnected"):
            await run_brief(work, time.monotonic() + 60, gone_after_two_looks)

    asyncio.run(scenario())
    assert asked == 2  # not asked again once it said so
    assert work.cancel is not None and work.cancel.is_set()
    assert work.finished.is_set()


def test_a_caller_cancelled_by_shutdown_waits_for_the_worker_then_says_503() -> None:
    work = _Work(30)

    async def scenario() -> None:
        task = asyncio.create_task(run_brief(work, time.monotonic() + 60))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(EngineUnavailable, match="shutting down"):
            await task

    asyncio.run(scenario())
    assert work.finished.is_set()


def test_watch_cancelled_stops_the_work_and_cancels_on_with_the_item_unfinished() -> None:
    """The job worker's way: its own cancel event, and a shutdown's cancellation goes on."""
    work = _Work(30)
    own_cancel = threading.Event()

    async def scenario() -> BriefRun[str]:
        run = BriefRun(work, time.monotonic() + 60, cancel=own_cancel)
        watcher = asyncio.create_task(run.watch())
        await asyncio.sleep(0.3)
        watcher.cancel()
        with pytest.raises(asyncio.CancelledError):
            await watcher
        return run

    run = asyncio.run(scenario())
    assert own_cancel.is_set() and run.reason == SHUTTING_DOWN
    assert work.finished.is_set()
    assert isinstance(run.retrieve(), Cancelled)


def test_a_cancel_set_from_elsewhere_stops_it_without_a_reason() -> None:
    """A job cancelled on another replica: the run was not the one to stop it."""
    work = _Work(30)

    async def scenario() -> BriefRun[str]:
        run = BriefRun(work, time.monotonic() + 60)
        asyncio.get_running_loop().call_later(0.2, run.cancel.set)
        await run.watch()
        return run

    run = asyncio.run(scenario())
    assert run.reason is None
    with pytest.raises(ClientClosedRequest, match="cancelled"):
        run.result()


def test_the_work_s_own_error_is_what_the_caller_gets() -> None:
    def refuses(cancel: threading.Event) -> str:
        raise InvalidInput("text is empty")

    with pytest.raises(InvalidInput, match="text is empty"):
        asyncio.run(run_brief(refuses, time.monotonic() + 30))
