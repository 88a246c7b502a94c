"""KV of the prompt prefixes every request shares (the instructions), kept for the next one."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from service.engines.kv_buffer import KV


class PrefixCache:
    """KV of prompt prefixes, by their token ids (least recently used goes first)."""

    def __init__(self, capacity: int = 4) -> None:
        self._entries: OrderedDict[tuple[int, ...], KV] = OrderedDict()
        self._capacity = capacity

    def get(self, ids: Sequence[int]) -> KV | None:
        key = tuple(ids)
        kv = self._entries.get(key)
        if kv is not None:
            self._entries.move_to_end(key)
        return kv

    def put(self, ids: Sequence[int], kv: KV) -> None:
        self._entries[tuple(ids)] = kv
        self._entries.move_to_end(tuple(ids))
        while len(self._entries) > self._capacity:
            self._entries.popitem(last=False)
