"""Handing freed memory back to the operating system."""

from __future__ import annotations

import contextlib
import ctypes
import gc


def release_freed_memory(collect: bool = False) -> None:
    """glibc keeps freed blocks (tens of MB of fp32 weights or KV cache at a time) for reuse
    unless asked to return them; `collect` first frees what only reference cycles still hold
    (quantize_dynamic leaves some around the fp32 weights it replaced)."""
    if collect:
        gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to hand back
        ctypes.CDLL("libc.so.6").malloc_trim(0)
