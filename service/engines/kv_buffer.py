"""The batch's KV cache in preallocated room: rows joined on the right (left-padded with
zeros the attention mask hides), rows dropped, positions cut, layer by layer so that a join or
a selection needs one layer's worth of extra memory, not a second copy of the whole cache."""

from __future__ import annotations

from typing import Any

import torch
from transformers import DynamicCache, PreTrainedModel
from transformers.cache_utils import DynamicLayer

KV = list[tuple[torch.Tensor, torch.Tensor]]
"""Per layer (keys, values), each [batch, kv_heads, positions, head_dim]."""


class _BufferLayer(DynamicLayer):
    """A cache layer writing into preallocated room instead of concatenating: transformers'
    DynamicLayer copies the whole cache at every step (24 layers x the batch's context)."""

    # Always set here (DynamicLayer allows None before its first update).
    keys: torch.Tensor
    values: torch.Tensor

    def __init__(self, keys: torch.Tensor, values: torch.Tensor, length: int) -> None:
        super().__init__()
        self.key_room, self.value_room, self.length = keys, values, length
        self.is_initialized = True
        self.keys, self.values = keys[:, :, :length], values[:, :, :length]

    def update(
        self, key_states: torch.Tensor, value_states: torch.Tensor, *args: Any, **kwargs: Any
    ) -> tuple[torch.Tensor, torch.Tensor]:
        end = self.length + key_states.shape[2]
        if end > self.key_room.shape[2]:
            self.key_room = _grow(self.key_room, self.length, end + _HEADROOM)
            self.value_room = _grow(self.value_room, self.length, end + _HEADROOM)
        self.key_room[:, :, self.length : end] = key_states
        self.value_room[:, :, self.length : end] = value_states
        self.length = end
        self.keys, self.values = self.key_room[:, :, :end], self.value_room[:, :, :end]
        return self.keys, self.values

    def get_seq_length(self) -> int:
        return self.length

    def release(self) -> None:
        """Let go of this layer's tensors (its buffer has been copied into another)."""
        empty = self.key_room.new_empty(0)
        self.key_room = self.value_room = self.keys = self.values = empty


_HEADROOM = 256


def _grow(room: torch.Tensor, used: int, capacity: int) -> torch.Tensor:
    bigger = room.new_empty(room.shape[0], room.shape[1], capacity, room.shape[3])
    bigger[:, :, :used] = room[:, :, :used]
    return bigger


class KVBuffer:
    """The KV cache of a batch: per layer [rows, kv_heads, room, head_dim], `length` used."""

    def __init__(self, layers: list[_BufferLayer]) -> None:
        self.layers = layers

    @classmethod
    def from_tensors(cls, kv: KV, headroom: int = _HEADROOM) -> KVBuffer:
        layers = []
        for keys, values in kv:
            length = keys.shape[2]
            shape = (keys.shape[0], keys.shape[1], length + headroom, keys.shape[3])
            key_room, value_room = keys.new_empty(shape), values.new_empty(shape)
            key_room[:, :, :length], value_room[:, :, :length] = keys, values
            layers.append(_BufferLayer(key_room, value_room, length))
        return cls(layers)

    @classmethod
    def empty(cls, model: PreTrainedModel, capacity: int) -> KVBuffer:
        config = model.config
        heads = config.num_key_value_heads
        head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
        norm = next(model.model.norm.parameters())  # the dtype and device activations have
        room = {"dtype": norm.dtype, "device": norm.device}
        return cls([
            _BufferLayer(torch.empty(1, heads, capacity, head_dim, **room),
                         torch.empty(1, heads, capacity, head_dim, **room), 0)
            for _ in range(config.num_hidden_layers)
        ])

    @property
    def length(self) -> int:
        return self.layers[0].length

    def cache(self) -> DynamicCache:
        """A transformers cache whose updates land in this buffer."""
        cache = DynamicCache()
        cache.layers = list(self.layers)
        return cache

    def tensors(self) -> KV:
        return [(layer.keys, layer.values) for layer in self.layers]

    def join(self, other: KVBuffer) -> KVBuffer:
        """Rows of both, aligned on the right; the shorter side's left is zeros (masked).

        Both buffers are consumed: each layer's old tensors are let go as soon as they are
        copied, so a join needs one layer's worth of extra memory, not a second copy of the
        whole batch's cache (a long article's parts: ~1 GB at the fourth row)."""
        total = max(self.length, other.length)
        layers = []
        for mine, theirs in zip(self.layers, other.layers, strict=True):
            rows = mine.keys.shape[0] + theirs.keys.shape[0]
            shape = (rows, mine.keys.shape[1], total + _HEADROOM, mine.keys.shape[3])
            key_room, value_room = mine.keys.new_zeros(shape), mine.values.new_zeros(shape)
            split = mine.keys.shape[0]
            key_room[:split, :, total - mine.length : total] = mine.keys
            value_room[:split, :, total - mine.length : total] = mine.values
            key_room[split:, :, total - theirs.length : total] = theirs.keys
            value_room[split:, :, total - theirs.length : total] = theirs.values
            layers.append(_BufferLayer(key_room, value_room, total))
            mine.release()
            theirs.release()
        return KVBuffer(layers)

    def select(self, rows: torch.Tensor, first: int) -> KVBuffer:
        """Keep these rows, and the positions from `first` on. Consumes this buffer, layer by
        layer, as `join` does."""
        rows = rows.to(self.layers[0].keys.device)
        layers = []
        for layer in self.layers:
            keys, values = layer.keys[rows, :, first:], layer.values[rows, :, first:]
            layer.release()
            layers.append(KVBuffer.from_tensors([(keys, values)]).layers[0])
            del keys, values
        return KVBuffer(layers)
