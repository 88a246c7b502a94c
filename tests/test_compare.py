"""Comparing two sides' readouts of one meeting: points as spans of their own text, matched
by the subjects they share, the rest one side's; same event or not; `POST /v1/compare`,
`brief compare` and the Markdown. Texts written for these tests."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service import cli
from service.brief.pipeline import BriefPipeline, PipelineConfig
from service.brief.prompts import load_prompts
from service.compare.comparer import Comparer
from service.compare.points import text_points
from service.compare.render import comparison_markdown
from service.compare.same_event import same_event
from service.compare.schemas import Comparison, MultiComparison
from service.http.app import create_app
from service.schemas import Brief, BriefRequest, Event, Meta, Participant
from service.settings import Settings
from service.text.article import prepare
from service.text.extract import extract
from tests.conftest import ScriptedEngine, draft, wait_ready

CONFIG = PipelineConfig(max_input_chars=50_000, max_input_tokens=4000, max_new_tokens=600,
                        repetition_penalty=1.05)

# One call, told by each side: Chile's readout and Peru's.
CHILE = (
    "Readout of Foreign Minister Ana Soto’s Call with Foreign Minister Rui Lopes of Peru\n\n"
    "May 3, 2026\n\n"
    "Foreign Minister Ana Soto of Chile spoke today with Foreign Minister Rui Lopes of Peru. "
    "The ministers reviewed the lithium export agreement, and discussed a joint patrol of the "
    "anchovy fisheries off the coast. Minister Soto raised the case of a Chilean journalist "
    "held in Tacna since January. They agreed to meet again in Arica in June.\n"
)
PERU = (
    "Lopes and Soto speak by phone\n\n"
    "2026-05-04 09:10\n\n"
    "On the evening of May 3, Foreign Minister Rui Lopes held a telephone call with Chilean "
    "Foreign Minister Ana Soto at the request of the Chilean side. Lopes welcomed the progress "
    "of the lithium export agreement. He proposed a binational commission on glacier water "
    "sharing in the Andes. The talks were cordial and friendly.\n"
)
# The same two ministers three weeks later, in person.
PERU_LATER = (
    "Lopes receives Soto in Lima\n\n"
    "2026-05-25 18:00\n\n"
    "On May 25, Foreign Minister Rui Lopes met Chilean Foreign Minister Ana Soto in Lima. "
    "The two ministers signed the lithium export agreement and discussed port fees.\n"
)


def _pipeline(outputs: int = 8) -> BriefPipeline:
    engine = ScriptedEngine([draft(key_points=[], agreements=[])] * outputs)
    return BriefPipeline(engine, load_prompts(), CONFIG)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def pair() -> Comparison:
    result = Comparer(_pipeline()).compare([BriefRequest(text=CHILE), BriefRequest(text=PERU)])
    assert isinstance(result, Comparison)
    return result


def _spans(result: Comparison) -> list[tuple[str, dict[str, Any]]]:
    body = result.model_dump()
    out = [(side, span) for item in body["shared"] for side in ("a", "b")
           for span in item[f"evidence_{side}"]]
    out += [(side, span) for side in ("a", "b") for item in body[f"only_{side}"]
            for span in item["evidence"]]
    return out


def test_a_sentence_joining_two_claims_is_two_points_with_exact_offsets() -> None:
    article = prepare(CHILE)
    points = text_points(article, extract(article).header)
    texts = [p.text for p in points]
    assert "The ministers reviewed the lithium export agreement" in texts
    assert "discussed a joint patrol of the anchovy fisheries off the coast." in texts
    # The title and the date line are not claims.
    assert not any(t.startswith(("Readout of", "May 3")) for t in texts)
    for point in points:
        assert " ".join(CHILE[point.span.start : point.span.end].split()) == point.text


def test_the_subject_both_report_is_shared_and_each_sides_own_is_its_own(
    pair: Comparison,
) -> None:
    assert pair.same_event, pair.same_event_reason
    lithium = [s for s in pair.shared if "lithium" in (s.texts[0] or "")]
    assert len(lithium) == 1
    assert "lithium export agreement" in (lithium[0].texts[1] or "")
    assert "lithium" in lithium[0].terms
    only_a = " ".join(p.text for p in pair.only_a)
    only_b = " ".join(p.text for p in pair.only_b)
    assert "anchovy fisheries" in only_a and "journalist" in only_a and "Arica" in only_a
    assert "glacier water" in only_b
    # What Peru's lead adds to the call both report: who asked for it.
    assert "request" in only_b
    shared_text = json.dumps([s.texts for s in pair.shared])
    assert "anchovy" not in shared_text and "glacier" not in shared_text


def test_every_evidence_span_slices_its_own_text(pair: Comparison) -> None:
    spans = _spans(pair)
    assert spans
    for side, span in spans:
        text = CHILE if side == "a" else PERU
        assert 0 <= span["start"] < span["end"] <= len(text)
        assert text[span["start"] : span["end"]] == span["text"]


def test_no_sentence_stands_in_two_sections(pair: Comparison) -> None:
    """A one-sided point is never a sentence of a shared point; a detail is a phrase inside
    the shared point it adds to, named by `shared_index`."""
    for side in ("a", "b"):
        shared = {(e.start, e.end) for s in pair.shared
                  for e in (s.evidence_a if side == "a" else s.evidence_b) or []}
        own = pair.only_a if side == "a" else pair.only_b
        for point in own:
            for span in point.evidence:
                inside = any(s <= span.start and span.end <= e for s, e in shared)
                assert inside == (point.kind == "detail"), point
                if point.kind == "detail":
                    assert point.shared_index is not None


def test_how_each_side_tells_it_is_the_tone_difference_with_its_sentence(
    pair: Comparison,
) -> None:
    tone = next(d for d in pair.differences if d.field == "tone")
    assert [e.text for e in tone.evidence_b or []] == ["The talks were cordial and friendly."]
    assert "cordial" not in " ".join(p.text for p in pair.only_b)


def _brief(date: str | None, kind: str, names: list[str]) -> Brief:
    return Brief(
        id="brf_test", language="en", headline="h", summary="s", key_points=[],
        event=Event(type=kind, date=dt.date.fromisoformat(date) if date else None),  # type: ignore[arg-type]
        participants=[Participant(name=n) for n in names], countries=["Chile", "Peru"],
        topics=[], agreements=[], disagreements=[], next_steps=[], tone="neutral", quotes=[],
        meta=Meta(model="m", prompt_version="p", input_tokens=0, output_tokens=0,
                  latency_ms=0),
    )


def test_one_call_dated_on_both_sides_of_midnight_is_one_event() -> None:
    verdict = same_event(_brief("2026-05-03", "call", ["Ana Soto", "Rui Lopes"]),
                         _brief("2026-05-04", "call", ["Rui Lopes", "SOTO Ana"]))
    assert verdict.same
    assert "one day apart" in verdict.reason and "Rui Lopes" in verdict.reason


def test_the_same_ministers_weeks_apart_are_two_events() -> None:
    verdict = same_event(_brief("2026-05-03", "call", ["Ana Soto", "Rui Lopes"]),
                         _brief("2026-05-25", "meeting", ["Rui Lopes", "Ana Soto"]))
    assert not verdict.same
    assert "22 days apart" in verdict.reason and "a call, the other a meeting" in verdict.reason


def test_texts_about_different_events_share_no_point() -> None:
    result = Comparer(_pipeline()).compare(
        [BriefRequest(text=CHILE), BriefRequest(text=PERU_LATER)])
    assert isinstance(result, Comparison)
    assert not result.same_event and result.shared == []
    assert any("lithium" in p.text for p in result.only_b)


def test_three_articles_give_lists_per_article() -> None:
    result = Comparer(_pipeline(12)).compare(
        [BriefRequest(text=CHILE), BriefRequest(text=PERU), BriefRequest(text=PERU_LATER)])
    assert isinstance(result, MultiComparison)
    assert len(result.briefs) == 3 and len(result.only) == 3
    for point in result.shared:
        assert point.evidence is not None and len(point.evidence) == 3
        assert point.evidence_a is None


def test_markdown_shows_both_sides_words_and_each_sides_own(pair: Comparison) -> None:
    markdown = comparison_markdown(pair, ["Chile", "Peru"])
    assert markdown.startswith("# Comparison of 2 texts: the same event")
    assert "## Only in Chile" in markdown and "## Only in Peru" in markdown
    assert "   - Peru: Lopes welcomed the progress of the lithium export agreement." in markdown
    assert "| tone |" in markdown


@pytest.fixture
def client() -> Iterator[TestClient]:
    engine = ScriptedEngine([draft(key_points=[])] * 20)
    app = create_app(Settings(max_input_chars=2000, warmup=False), engine_factory=lambda _: engine)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        wait_ready(test_client)
        yield test_client


def test_post_compare_answers_the_contracts_shape(client: TestClient) -> None:
    response = client.post("/v1/compare", json={"articles": [
        {"text": CHILE, "source": "Chile MFA"}, {"text": PERU, "published": "2026-05-04"}]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["same_event"] is True and body["same_event_reason"]
    assert body["a"]["headline"] and body["b"]["headline"]
    assert {"shared", "only_a", "only_b", "differences"} <= set(body)
    item = next(s for s in body["shared"] if "lithium" in s["text"])
    span = item["evidence_b"][0]
    assert PERU[span["start"] : span["end"]] == span["text"]


@pytest.mark.parametrize(("body", "message"), [
    ({"articles": [{"text": CHILE}]}, "send 2 to 4 articles to compare, not 1"),
    ({"articles": [{"text": CHILE}] * 5}, "send 2 to 4 articles to compare, not 5"),
    ({"articles": "two texts"}, "articles: must be a list"),
    ({"articles": [{"text": CHILE}, {"text": "  "}]}, "articles[1]: text"),
    ({"articles": [{"text": CHILE}, "just text"]}, "articles[1]: must be an object"),
    ({"articles": [{"text": CHILE}, {"text": PERU}], "mode": "fast"}, "unknown field(s) 'mode'"),
    ([CHILE, PERU], "must be a JSON object"),
])
def test_bad_compare_requests_are_422_naming_the_problem(
    client: TestClient, body: Any, message: str,
) -> None:
    response = client.post("/v1/compare", json=body)
    assert response.status_code == 422, response.text
    assert message in response.json()["error"]["message"]


def test_compare_refuses_what_it_cannot_read(client: TestClient) -> None:
    assert client.post("/v1/compare", content=CHILE,
                       headers={"content-type": "text/plain"}).status_code == 415
    assert client.post("/v1/compare", content=b"{", headers={
        "content-type": "application/json"}).status_code == 400
    long = {"articles": [{"text": CHILE}, {"text": "word " * 1000}]}
    response = client.post("/v1/compare", json=long)
    assert response.status_code == 413
    assert "articles[1].text" in response.json()["error"]["message"]


def test_brief_compare_writes_json_or_markdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(cli, "_pipeline", lambda settings: _pipeline())
    (tmp_path / "chile.txt").write_text(CHILE, encoding="utf-8")
    (tmp_path / "peru.txt").write_text(PERU, encoding="utf-8")
    files = [str(tmp_path / "chile.txt"), str(tmp_path / "peru.txt")]
    assert cli.main(["compare", *files]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["same_event"] is True and body["only_b"]
    assert cli.main(["compare", *files, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "## Only in chile.txt" in markdown and "## Only in peru.txt" in markdown
    assert cli.main(["compare", files[0]]) == 1
    assert "compare takes 2 to 4 files, not 1" in capsys.readouterr().err


def test_compare_streams_its_progress_then_the_comparison(client: TestClient) -> None:
    body = {"articles": [{"text": CHILE}, {"text": PERU}]}
    with client.stream("POST", "/v1/compare", json=body,
                       headers={"accept": "text/event-stream"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = "".join(response.iter_text())
    events = [(block.split("\n", 1)[0].removeprefix("event: "),
               block.split("data: ", 1)[1] if "data: " in block else "")
              for block in raw.replace("\r\n", "\n").split("\n\n") if block.startswith("event:")]
    stages = [json.loads(data)["stage"] for name, data in events if name == "progress"]
    assert "writing" in stages and "grounding" in stages
    # Both articles' model calls are one batch: the writing stage counts two parts.
    writing = [json.loads(d) for n, d in events if n == "progress"
               and json.loads(d)["stage"] == "writing"]
    assert writing[0]["parts"] == 2
    assert events[-1][0] == "comparison"
    result = json.loads(events[-1][1])
    assert result["same_event"] is True and result["only_b"]
    # A bad request is still a plain HTTP error, before any event.
    response = client.post("/v1/compare", json={"articles": [{"text": CHILE}]},
                           headers={"accept": "text/event-stream"})
    assert response.status_code == 422


def test_dates_days_apart_alone_do_not_make_two_events() -> None:
    """A readout's date can be its page's ("on Friday" on a page of Monday): days apart with
    everything else agreeing is one event, said with the gap; weeks apart is two."""
    three_days = same_event(_brief("2026-05-01", "meeting", ["Ana Soto", "Rui Lopes"]),
                            _brief("2026-05-04", "meeting", ["Rui Lopes", "Ana Soto"]))
    assert three_days.same and "3 days apart" in three_days.reason
    other_kind = same_event(_brief("2026-05-01", "meeting", ["Ana Soto", "Rui Lopes"]),
                            _brief("2026-05-04", "call", ["Rui Lopes", "Ana Soto"]))
    assert not other_kind.same and "3 days apart" in other_kind.reason
    weeks = same_event(_brief("2026-05-01", "call", ["Ana Soto", "Rui Lopes"]),
                       _brief("2026-05-15", "call", ["Rui Lopes", "Ana Soto"]))
    assert not weeks.same and "14 days apart" in weeks.reason
