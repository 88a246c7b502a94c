"""The int8 output layer's product for a few tokens only, bitwise what the whole layer gives them.

Why: the output layer is 152k rows (136 MB of int8, a quarter of what a decode pass reads), and
in most of a brief's passes the grammar allows a handful of tokens (a sentence number, a comma,
a name of an enum). Those tokens' logits are all the step needs. The packed int8 matrix cannot
be indexed, so the rows come from the checkpoint on disk (memory-mapped: only the pages of rows
ever asked for are read, and the page cache may drop them again), are quantized with the
layer's own scale (per tensor, element by element: the same int8 values `cpu_int8` made of
them), packed, and multiplied by the same operator with the same input. Each output element is
the same integer dot product scaled by the same numbers (tests/test_output_rows.py).
"""

from __future__ import annotations

import json
import mmap
from pathlib import Path
from typing import Any

import torch

_STORED = {"BF16": torch.bfloat16, "F16": torch.float16, "F32": torch.float32}
"""safetensors dtype -> torch dtype."""


class OutputRows:
    """The output layer's rows on disk, with the scale and zero point its int8 copy was made with."""

    def __init__(self, file: Path, tensor: str, scale: float, zero_point: int) -> None:
        with file.open("rb") as handle:
            header_size = int.from_bytes(handle.read(8), "little")
            entry = json.loads(handle.read(header_size))[tensor]
        dtype = _STORED[entry["dtype"]]
        start, _ = entry["data_offsets"]
        rows, width = entry["shape"]
        with file.open("rb") as handle:
            # A private mapping: torch wants a writable buffer; nothing writes to it.
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
        self._rows = torch.frombuffer(
            self._map, dtype=dtype, offset=8 + header_size + start, count=rows * width
        ).view(rows, width)
        self._scale, self._zero_point = scale, zero_point

    @classmethod
    def of_tensor(cls, file: Path, tensor: str, scale: float, zero_point: int) -> OutputRows | None:
        """The rows of `tensor` in a safetensors file, or None where they cannot be mapped (a
        dtype not handled here): the decoder then always runs the whole layer."""
        try:
            return cls(file, tensor, scale, zero_point)
        except (KeyError, OSError, ValueError):
            return None

    @staticmethod
    def attach(model: torch.nn.Module, rows: OutputRows | None) -> None:
        """Keep `rows` with the model's output layer (where the decoder finds them)."""
        if rows is not None:
            model.lm_head.rows_on_disk = rows  # type: ignore[union-attr]

    @staticmethod
    def of_model(model: torch.nn.Module) -> OutputRows | None:
        """The rows kept with the model's output layer by `attach`, if any."""
        rows = getattr(model.lm_head, "rows_on_disk", None)
        return rows if isinstance(rows, OutputRows) else None

    def logits(self, hidden: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        """[rows of `hidden`, len(tokens)]: the output layer's logits of those tokens, bitwise
        `lm_head(hidden)[:, tokens]`. `hidden` must be the whole input the layer would get (its
        input is quantized per tensor: another set of rows would give another scale)."""
        # As cpu_int8 read them: the checkpoint's values in bf16, quantized from fp32.
        values = self._rows[tokens].to(torch.bfloat16).float()
        quantized = torch.quantize_per_tensor(values, self._scale, self._zero_point, torch.qint8)
        packed = torch.ops.quantized.linear_prepack(quantized, None)
        return _dynamic_product(hidden, packed)


def _dynamic_product(hidden: torch.Tensor, packed: Any) -> torch.Tensor:
    """What torch.ao's dynamic int8 Linear computes (its forward: reduce_range=True)."""
    return torch.ops.quantized.linear_dynamic.default(hidden, packed, True)
