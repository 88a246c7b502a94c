"""The warnings of one brief: what its reader should know about how it was made (text left
out, parts read separately, a model choice replaced). Every step adds to one collector; the
brief reports them once, in order, in `meta.warnings`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


class Warnings:
    def __init__(self, initial: Iterable[str] = ()) -> None:
        self._messages = list(initial)

    def add(self, message: str) -> None:
        self._messages.append(message)

    def __iter__(self) -> Iterator[str]:
        return iter(self._messages)

    def __len__(self) -> int:
        return len(self._messages)

    def as_list(self) -> list[str]:
        return list(self._messages)
