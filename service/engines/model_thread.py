"""The one thread that runs a model, so that torch keeps one OpenMP pool."""

from __future__ import annotations

import functools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class ModelThread:
    """The one thread that runs a model: loading it and every forward pass.

    On a CPU, torch's OpenMP runtime keeps a pool of threads per thread that starts parallel
    work; with two pools on two cores libgomp stops spinning and sleeps between parallel
    regions, which made each decode step ~1.5x slower when the model was loaded in one thread
    and run in another."""

    def __init__(self) -> None:
        self._tasks: queue.Queue[tuple[Callable[[], Any], Future[Any]] | None] = queue.Queue()
        # A daemon thread: a process that ends without closing the engine must not hang.
        self._thread = threading.Thread(target=self._serve, name="model", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while (task := self._tasks.get()) is not None:
            function, future = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(function())
            except BaseException as exc:  # handed to the caller, who decides
                future.set_exception(exc)

    def start(self, function: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        self._tasks.put((functools.partial(function, *args), future))
        return future

    def run(self, function: Callable[..., T], *args: Any) -> T:
        return self.start(function, *args).result()

    def shutdown(self, timeout: float = 30.0) -> None:
        self._tasks.put(None)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)
