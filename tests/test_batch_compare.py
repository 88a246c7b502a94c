"""`brief batch` with compare lines (issue 38): a JSONL line `{"articles": [...]}` is compared
as `brief compare` compares, its record carries the comparison, a rerun skips it, Markdown
gives the comparison's page; the same through a server's jobs API. Scripted engine, texts
written for the test: one meeting told by each side, and an unrelated article."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service import cli
from service.batch.output import markdown_name
from tests.test_batch import _BatchEngine, _use_engine
from tests.test_batch import server as server  # the fixture: an app on _BatchEngine, served

HOSTS = (
    "Readout of Trade Minister Ines Moreau's Meeting with Trade Minister Kofi Mensah\n\n"
    "Trade Minister Ines Moreau of Belgium met Trade Minister Kofi Mensah of Ghana in Brussels "
    "today. The ministers discussed cocoa tariffs and a new customs office at the port of "
    "Tema. Minister Moreau raised the labelling of fair-trade goods.\n"
)
GUESTS = (
    "Mensah holds talks with Moreau in Brussels\n\n"
    "Trade Minister Kofi Mensah met his Belgian counterpart Ines Moreau in Brussels. Mensah "
    "pressed for lower cocoa tariffs. He invited Belgian firms to invest in the port of "
    "Tema.\n"
)
OTHER = (
    "Trade Minister Kofi Mensah of Ghana opened a textile fair in Accra on Tuesday. He said "
    "exports of woven cloth rose last year.\n"
)
PAIR = {"id": "pair-1", "articles": [{"text": HOSTS, "source": "Belgium"},
                                     {"text": GUESTS, "source": "Ghana"}]}


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _feed(tmp_path: Path, *lines: dict[str, Any]) -> Path:
    source = tmp_path / "feed.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return source


def test_a_compare_line_writes_the_comparison_and_a_rerun_skips_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = _feed(tmp_path, {"id": "solo", "text": OTHER}, PAIR,
                   {"id": "alone", "articles": [{"text": HOSTS}]})
    out = tmp_path / "out.jsonl"
    _use_engine(monkeypatch, _BatchEngine())
    assert cli.main(["batch", str(source), "-o", str(out), "--published", "2027-04-12"]) == 1
    solo, pair, alone = _records(out)
    assert "brief" in solo and solo["brief"]["event"]["location"] == "Accra"
    assert set(pair) == {"id", "comparison"} and pair["id"] == "pair-1"
    comparison = pair["comparison"]
    assert comparison["same_event"] is True
    # --published is each article's publication date where the line gives none: "today".
    assert comparison["a"]["event"]["date"] == "2027-04-12"
    assert {p["name"] for p in comparison["b"]["participants"]} == {"Kofi Mensah", "Ines Moreau"}
    assert alone["status"] == 422 and "articles" in alone["error"]["message"]

    again = _BatchEngine()
    _use_engine(monkeypatch, again)
    assert cli.main(["batch", str(source), "-o", str(out), "--published", "2027-04-12"]) == 1
    assert again.requests == []  # the brief and the comparison are kept; only the bad line reruns
    assert [r["id"] for r in _records(out)] == ["solo", "pair-1", "alone"]


def test_a_compare_line_in_markdown_is_the_comparison_page_naming_each_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = _feed(tmp_path, PAIR)
    folder = tmp_path / "md"
    _use_engine(monkeypatch, _BatchEngine())
    assert cli.main(["batch", str(source), "-o", str(folder), "--format", "markdown"]) == 0
    page = (folder / markdown_name("pair-1")).read_text(encoding="utf-8")
    assert page.startswith("# Comparison of 2 texts: the same event\n")
    assert "- **Belgium**:" in page and "- **Ghana**:" in page


@pytest.mark.slow
def test_a_compare_line_through_a_servers_jobs_api(
    tmp_path: Path, server: str,
) -> None:
    source = _feed(tmp_path, {"id": "solo", "text": OTHER}, PAIR)
    out = tmp_path / "via-server.jsonl"
    assert cli.main(["batch", str(source), "-o", str(out), "--server", server]) == 0
    solo, pair = _records(out)
    assert "brief" in solo and set(pair) == {"id", "comparison"}
    assert pair["comparison"]["same_event"] is True
    assert len(pair["comparison"]["a"]["participants"]) == 2
