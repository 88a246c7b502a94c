"""A brief streamed as server-sent events: `progress` while it is made, then one `brief`
(exactly the JSON body of the plain call) or one `error` (the API's error object).

What is wrong with the request itself (its size, its fields, its language, a full queue)
is found before the first event and answered as an ordinary HTTP error, so a client sees
the status. The brief runs in its own task, which holds the generation slot until the
worker thread has really stopped: a listener that goes away (or never starts reading)
cancels the brief, and the deadline cancels it too, without leaking the slot."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.requests import Request

from service.brief.progress import Progress
from service.brief.runner import BriefRun
from service.errors import BriefError
from service.http.error_handlers import error_body

log = logging.getLogger("service.http.streaming")
_POLL_S = 0.25
"""How often `first_report` asks whether the client is still there."""
HEARTBEAT_S = 2.0
"""A `progress` event at least this often, repeating the stage with the time elapsed: a long
article's prefill writes no tokens for a while, and the page should still show it is alive."""
SEND_TIMEOUT_S = 30.0
"""How long one event may wait on a client that stopped reading before the stream ends."""


def wants_event_stream(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return any(part.split(";")[0].strip().lower() == "text/event-stream"
               for part in accept.split(","))


def progress_data(progress: Progress, elapsed_s: float) -> dict[str, Any]:
    return {
        "stage": progress.stage, "message": progress.words, "parts": progress.parts,
        "parts_done": progress.parts_done, "tokens": progress.tokens,
        "elapsed_s": round(elapsed_s, 1),
    }


R = TypeVar("R", bound=BaseModel)
"""What the stream ends with: a brief, or a comparison (`POST /v1/compare`)."""


class StreamedBrief(Generic[R]):
    """One brief in a worker thread (a `BriefRun`), its progress queued for the event
    stream."""

    def __init__(
        self, run: Callable[..., R], brief_request: Any, deadline: float,
        on_finished: Callable[[], None], on_brief: Callable[[R], None], event: str = "brief",
    ) -> None:
        self.started = time.monotonic()
        self.deadline = deadline
        self.listener_gone = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._reports: asyncio.Queue[Progress] = asyncio.Queue()
        self._event = event
        self.run: BriefRun[R] = BriefRun(
            lambda cancel: run(brief_request, cancel, self._report), deadline)
        self.work = self.run.future
        self.cancel = self.run.cancel
        self._on_finished = on_finished
        self._on_brief = on_brief
        self._watch = asyncio.create_task(self._watchdog())

    def _report(self, progress: Progress) -> None:  # from the worker or the engine thread
        self._loop.call_soon_threadsafe(self._reports.put_nowait, progress)

    async def _listener_left(self) -> bool:
        return self.listener_gone.is_set()

    async def _watchdog(self) -> None:
        """Cancels the brief at its deadline or once nobody listens; gives the slot back only
        when the worker thread has finished."""
        try:
            await self.run.watch(self._listener_left)
        finally:
            self.run.retrieve()  # a stream nobody reads still ends quietly
            self._on_finished()

    @property
    def reason(self) -> str | None:
        return self.run.reason

    def stop(self, reason: str) -> None:
        self.run.stop(reason)

    def outcome(self) -> R:
        """The finished work's brief, or the error to tell (a BriefError)."""
        return self.run.result()

    def _either(self, waiter: asyncio.Future[Progress]) -> list[asyncio.Future[Any]]:
        return [waiter, self.work]

    async def first_report(self, request: Request) -> Progress | None:
        """The first progress report, or None when the work finished first. Until then the
        request may still fail as plain HTTP: this raises what the work raised."""
        waiter = asyncio.ensure_future(self._reports.get())
        try:
            while not waiter.done() and not self.work.done():
                await asyncio.wait(self._either(waiter), timeout=_POLL_S,
                                   return_when=asyncio.FIRST_COMPLETED)
                if not waiter.done() and not self.work.done() and \
                        await request.is_disconnected():
                    self.stop("client disconnected")
            if waiter.done():
                return waiter.result()
            self.outcome()
            return None
        except BaseException:
            self.stop("client disconnected")
            raise
        finally:
            waiter.cancel()

    async def events(self, first: Progress | None) -> AsyncIterator[ServerSentEvent]:
        """The stream: progress, then the brief or the error. Reports that queued up while
        the client read are coalesced (the newest of each stage); a stage with nothing new
        is told again every HEARTBEAT_S."""
        latest = first
        try:
            if latest is not None:
                yield self._progress_event(latest)
            while not self.work.done():
                waiter = asyncio.ensure_future(self._reports.get())
                done, _ = await asyncio.wait(self._either(waiter), timeout=HEARTBEAT_S,
                                             return_when=asyncio.FIRST_COMPLETED)
                if waiter not in done:
                    waiter.cancel()
                    if latest is not None and not self.work.done():
                        yield self._progress_event(latest)
                    continue
                reports = [waiter.result()]
                while not self._reports.empty():
                    reports.append(self._reports.get_nowait())
                for report, after in zip(reports, [*reports[1:], None], strict=True):
                    if after is None or after.stage != report.stage:
                        yield self._progress_event(report)
                latest = reports[-1]
            while not self._reports.empty():  # the last stage's report, if it came late
                latest = self._reports.get_nowait()
                if self._reports.empty():
                    yield self._progress_event(latest)
            yield self._final_event()
        finally:
            self.listener_gone.set()
            if not self.work.done():
                self.stop("client disconnected")

    def _progress_event(self, progress: Progress) -> ServerSentEvent:
        return ServerSentEvent(
            json.dumps(progress_data(progress, time.monotonic() - self.started)),
            event="progress")

    def _final_event(self) -> ServerSentEvent:
        try:
            brief = self.outcome()
        except BriefError as exc:
            body: dict[str, Any] = {**error_body(exc.code, exc.message), "status": exc.status}
            return ServerSentEvent(json.dumps(body), event="error")
        except Exception:
            log.exception("unexpected error in a streamed brief")
            body = {**error_body("internal_error",
                                 "an unexpected error occurred; it has been logged"),
                    "status": 500}
            return ServerSentEvent(json.dumps(body), event="error")
        self._on_brief(brief)
        return ServerSentEvent(brief.model_dump_json(), event=self._event)


def event_stream(streamed: StreamedBrief[Any], first: Progress | None,
                 shutdown_grace_s: float) -> EventSourceResponse:
    return EventSourceResponse(
        streamed.events(first),
        # Proxies (nginx) must not buffer the events.
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        # A stream in progress at SIGTERM may finish within the same grace as a plain call.
        shutdown_grace_period=shutdown_grace_s,
        # A client that stops reading (its TCP window full) does not hold the response for
        # ever; the brief itself is already bounded by its deadline.
        send_timeout=SEND_TIMEOUT_S,
    )
