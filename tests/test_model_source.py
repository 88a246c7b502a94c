"""BRIEF_MODEL resolution: every accepted form, and one clear line for a wrong one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from service.cli import main
from service.engines.model_source import (
    EMBEDDED_SHA256,
    EMBEDDED_SIZE,
    embedded_chunk_paths,
    resolve_model,
)
from service.errors import ModelSourceError


def test_embedded_chunks_are_installed_and_add_up_to_the_pinned_file() -> None:
    paths = embedded_chunk_paths()
    assert [p.name for p in paths] == [f"part{i:02d}.bin" for i in range(1, 7)]
    assert sum(p.stat().st_size for p in paths) == EMBEDDED_SIZE
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    assert digest.hexdigest() == EMBEDDED_SHA256


def test_a_model_directory_is_used_in_place(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    source = resolve_model(str(tmp_path), tmp_path / "cache")
    assert (source.kind, source.checkpoint) == ("directory", str(tmp_path))


def test_a_hub_id_is_passed_through_without_downloading(tmp_path: Path) -> None:
    source = resolve_model("Qwen/Qwen2.5-1.5B-Instruct", tmp_path)
    assert (source.kind, source.checkpoint) == ("hub", "Qwen/Qwen2.5-1.5B-Instruct")
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: str(p / "missing"), "not 'embedded'"),
        (lambda p: str(p), "no config.json"),
        (lambda p: (p / "weights.bin").write_text("x") and str(p / "weights.bin"), "not a .gguf"),
    ],
)
def test_wrong_values_fail_with_one_clear_line(tmp_path: Path, make: object, fragment: str) -> None:
    with pytest.raises(ModelSourceError, match=fragment):
        resolve_model(make(tmp_path), tmp_path / "cache")  # type: ignore[operator]


def test_serve_with_a_wrong_model_exits_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("BRIEF_MODEL", str(tmp_path / "nothing-here"))
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("brief: BRIEF_MODEL=")
    assert "Traceback" not in err
