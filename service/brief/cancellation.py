"""Stopping a brief between its stages once the client has left or the deadline has passed."""

from __future__ import annotations

import threading

from service.errors import Cancelled


def stop_if_cancelled(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("brief cancelled")
