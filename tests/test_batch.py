"""`brief batch`: a folder with a failing item, interrupted and resumed, the output complete
and without duplicates; JSONL input with ids; Markdown output; through a server's jobs API."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service import cli
from service.batch.output import markdown_name
from service.brief.pipeline import BriefPipeline, PipelineConfig
from service.brief.prompts import load_prompts
from service.engines.base import GenerationRequest, GenerationResult
from service.errors import GenerationFailed
from service.http.app import create_app
from service.settings import Settings
from tests.conftest import ScriptedEngine, draft, read_article, serving_in_thread

TEXT = read_article("santiago_readout.txt")
PAGE = read_article("santiago_page.html")


class _BatchEngine(ScriptedEngine):
    """Writes a draft for any article; fails an article that says "[flaky]" the first time
    it sees it; after `interrupt_after` briefs, presses Ctrl-C (SIGINT to this process)."""

    def __init__(self, interrupt_after: int | None = None) -> None:
        super().__init__()
        self.interrupt_after = interrupt_after
        self.failed_once = False
        self.lock = threading.Lock()

    def generate(self, request: GenerationRequest) -> GenerationResult:
        with self.lock:
            self.requests.append(request)
            count = len(self.requests)
            flaky = "[flaky]" in request.messages[-1]["content"] and not self.failed_once
            self.failed_once = self.failed_once or flaky
        if flaky:
            raise GenerationFailed("the model wrote nothing usable")
        if self.interrupt_after is not None and count == self.interrupt_after:
            os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        return GenerationResult(draft(), 100, 20, 1.0, 2.0, truncated=False)


def _use_engine(monkeypatch: pytest.MonkeyPatch, engine: ScriptedEngine) -> None:
    pipeline = BriefPipeline(engine, load_prompts(), PipelineConfig(50_000, 4000, 600, 1.05))
    monkeypatch.setattr(cli, "_pipeline", lambda settings: pipeline)
    monkeypatch.setattr(cli, "_close", lambda pipeline: None)


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    for i in range(5):
        (articles / f"a{i}.txt").write_text(TEXT.replace("Santiago", f"Santiago {i}"),
                                            encoding="utf-8")
    (articles / "empty.txt").write_text("   \n", encoding="utf-8")
    (articles / "flaky.txt").write_text(TEXT + "\n\n[flaky]", encoding="utf-8")
    (articles / "page.html").write_text(PAGE, encoding="utf-8")
    return articles


@pytest.mark.slow
def test_a_folder_interrupted_then_resumed_ends_with_one_record_per_item(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "briefs.jsonl"
    first = _BatchEngine(interrupt_after=3)
    _use_engine(monkeypatch, first)
    assert cli.main(["batch", str(folder), "-o", str(out), "--workers", "1"]) == 130
    after_stop = _records(out)
    ids = [r["id"] for r in after_stop]
    assert len(ids) == len(set(ids)) and 2 <= len(ids) < 8  # what was done, written
    assert "interrupted" in capsys.readouterr().err

    second = _BatchEngine()
    _use_engine(monkeypatch, second)
    status = cli.main(["batch", str(folder), "-o", str(out), "--workers", "2"])
    records = _records(out)
    by_id = {r["id"]: r for r in records}
    assert [r["id"] for r in records] == ["a0.txt", "a1.txt", "a2.txt", "a3.txt", "a4.txt",
                                          "empty.txt", "flaky.txt", "page.html"]
    assert by_id["empty.txt"]["error"]["code"] == "invalid_input"
    assert by_id["empty.txt"]["status"] == 422 and status == 1
    assert "brief" in by_id["page.html"] and by_id["page.html"]["brief"]["source_text"]
    briefed_before = {r["id"] for r in after_stop if "brief" in r}
    for item_id in briefed_before:  # kept, not briefed again
        assert by_id[item_id] == next(r for r in after_stop if r["id"] == item_id)
    assert len(second.requests) <= 8 - len(briefed_before)
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert summary.startswith("brief batch: 8 items:") and "already briefed" in summary

    # The flaky article failed (an error record); a later run retries it and only it.
    assert by_id["flaky.txt"]["error"]["code"] == "generation_failed"
    third = _BatchEngine()
    third.failed_once = True
    _use_engine(monkeypatch, third)
    assert cli.main(["batch", str(folder), "-o", str(out)]) == 1  # the empty one still fails
    records = _records(out)
    assert len(third.requests) == 1
    assert "brief" in {r["id"]: r for r in records}["flaky.txt"]
    assert len(records) == 8 and len({r["id"] for r in records}) == 8


def test_jsonl_ids_are_kept_and_markdown_is_one_file_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "feed.jsonl"
    source.write_text("\n".join([
        json.dumps({"id": "r-1", "text": TEXT, "title": "First"}),
        json.dumps({"text": TEXT, "title": "Second"}),
        "{not json",
    ]) + "\n", encoding="utf-8")
    _use_engine(monkeypatch, _BatchEngine())
    folder = tmp_path / "md"
    assert cli.main(["batch", str(source), "-o", str(folder), "--format", "markdown"]) == 1
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["errors.jsonl", markdown_name("feed.jsonl:2"), markdown_name("r-1")])
    assert (folder / markdown_name("r-1")).read_text(encoding="utf-8").startswith("# First\n")
    error = json.loads((folder / "errors.jsonl").read_text(encoding="utf-8"))
    assert error["id"] == "feed.jsonl:3" and "not JSON" in error["error"]["message"]


def test_two_items_with_one_id_are_refused_before_anything_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "dup.jsonl"
    source.write_text(json.dumps({"id": "x", "text": TEXT}) + "\n"
                      + json.dumps({"id": "x", "text": TEXT}) + "\n", encoding="utf-8")
    engine = _BatchEngine()
    _use_engine(monkeypatch, engine)
    assert cli.main(["batch", str(source)]) == 1
    assert "unique" in capsys.readouterr().err and engine.requests == []


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    app = create_app(Settings(warmup=False, data_dir=tmp_path / "data", max_concurrency=2),
                     engine_factory=lambda _: _BatchEngine())
    with serving_in_thread(app) as url:
        yield url


@pytest.mark.slow
def test_through_a_servers_jobs_api(folder: Path, tmp_path: Path, server: str) -> None:
    out = tmp_path / "via-server.jsonl"
    status = cli.main(["batch", str(folder), "-o", str(out), "--server", server,
                       "--job-size", "3"])
    records = _records(out)
    assert status == 1 and len(records) == 8
    by_id = {r["id"]: r for r in records}
    assert by_id["empty.txt"]["status"] == 422
    assert "error" in by_id["flaky.txt"] and by_id["flaky.txt"]["status"] == 502
    assert all("brief" in by_id[f"a{i}.txt"] for i in range(5))
    # A rerun sends only what failed: the flaky article is briefed this time.
    assert cli.main(["batch", str(folder), "-o", str(out), "--server", server]) == 1
    by_id = {r["id"]: r for r in _records(out)}
    assert "brief" in by_id["flaky.txt"] and len(_records(out)) == 8


@pytest.mark.slow
def test_through_the_server_an_article_that_failed_alone_is_retried_by_a_rerun(
    tmp_path: Path, server: str,
) -> None:
    """The rerun sends the same articles as the failed job: a new job, not the old answer."""
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"id": "f", "text": TEXT + "\n\n[flaky]"}) + "\n",
                      encoding="utf-8")
    out = tmp_path / "one-out.jsonl"
    assert cli.main(["batch", str(source), "-o", str(out), "--server", server]) == 1
    assert "error" in _records(out)[0]
    assert cli.main(["batch", str(source), "-o", str(out), "--server", server]) == 0
    assert [("brief" in r) for r in _records(out)] == [True]


@pytest.mark.slow
def test_a_rerun_after_a_crash_through_the_server_finds_its_jobs_and_briefs_nothing_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = _BatchEngine()
    engine.failed_once = True  # no flaky failure here
    app = create_app(Settings(warmup=False, data_dir=tmp_path / "data", max_concurrency=2),
                     engine_factory=lambda _: engine)
    out = tmp_path / "crash.jsonl"
    with serving_in_thread(app) as url:
        cli.main(["batch", str(folder), "-o", str(out), "--server", url, "--job-size", "3"])
        briefed = len(engine.requests)
        # The crash: the last records never reached the file.
        kept = out.read_text(encoding="utf-8").splitlines()[:-3]
        out.write_text("\n".join(kept) + "\n", encoding="utf-8")
        cli.main(["batch", str(folder), "-o", str(out), "--server", url, "--job-size", "3"])
    records = _records(out)
    assert len(records) == 8 and len({r["id"] for r in records}) == 8
    assert len(engine.requests) == briefed  # the same jobs answered; nothing briefed twice


def test_ids_that_read_alike_get_markdown_files_of_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    articles = tmp_path / "alike"
    (articles / "a").mkdir(parents=True)
    (articles / "a" / "b.txt").write_text(TEXT, encoding="utf-8")
    (articles / "a_b.txt").write_text(TEXT, encoding="utf-8")
    _use_engine(monkeypatch, _BatchEngine())
    folder = tmp_path / "md-alike"
    assert cli.main(["batch", str(articles), "-o", str(folder), "--format", "markdown"]) == 0
    assert len(list(folder.glob("*.md"))) == 2


def test_markdown_names_are_stable_short_and_never_shared() -> None:
    long_id = "x" * 600
    assert markdown_name("may/readout.txt") == markdown_name("may/readout.txt")
    assert markdown_name("a/b") != markdown_name("a_b")
    assert markdown_name("may/readout.txt").startswith("may_readout.txt-")
    assert len(markdown_name(long_id)) < 64 and markdown_name(long_id) != markdown_name("x" * 601)


def test_an_id_of_600_characters_does_not_stop_the_batch_and_links_are_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "feed.jsonl"
    ids = ["n" * 600, "plain"]
    source.write_text("".join(json.dumps({"id": i, "text": TEXT}) + "\n" for i in ids),
                      encoding="utf-8")
    folder = tmp_path / "md"
    folder.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    # Links planted where the batch writes: the file itself and its partial form.
    (folder / markdown_name("plain")).symlink_to(outside)
    (folder / (markdown_name("n" * 600) + ".partial")).symlink_to(outside)
    _use_engine(monkeypatch, _BatchEngine())
    assert cli.main(["batch", str(source), "-o", str(folder), "--format", "markdown"]) == 0
    assert outside.read_text(encoding="utf-8") == "keep me"
    for item_id in ids:
        written = folder / markdown_name(item_id)
        assert not written.is_symlink() and written.read_text(encoding="utf-8").startswith("# ")
    assert not list(folder.glob("*.partial"))


def test_the_servers_key_comes_from_the_environment_not_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli.main(["batch", "x.jsonl", "--server", "http://127.0.0.1:1", "--api-key", "k"])
    assert "unrecognized arguments: --api-key" in capsys.readouterr().err
