"""Streamed briefs (Accept: text/event-stream): progress, then exactly the plain call's brief;
request errors as plain HTTP; an error event; cancel on disconnect; the markdown renderer."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from service.brief.progress import Progress, ProgressReporter
from service.engines.base import GenerationRequest, GenerationResult
from service.errors import GenerationFailed
from service.http import streaming
from service.http.app import create_app
from service.settings import Settings
from tests.conftest import ScriptedEngine, draft, read_article, serving_in_thread, wait_ready

TEXT = read_article("santiago_readout.txt")
STREAM = {"accept": "text/event-stream"}
# Timing figures of a brief: not part of what must be equal between two calls.
_TIMINGS = {"latency_ms", "prefill_ms", "decode_ms"}


def events(body: str) -> list[tuple[str, Any]]:
    """(event, data) of a text/event-stream body; comments (pings) skipped."""
    found = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
        if data:
            found.append((name, json.loads("\n".join(data))))
    return found


def _client(engine: Any, **settings: Any) -> TestClient:
    app = create_app(Settings(warmup=False, **settings), engine_factory=lambda _: engine)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with _client(ScriptedEngine([draft()] * 4, delay_s=0.3), max_input_chars=5000) as client:
        wait_ready(client)
        yield client


def _without_timings(brief: dict[str, Any]) -> dict[str, Any]:
    return {**brief, "meta": {k: v for k, v in brief["meta"].items() if k not in _TIMINGS}}


def test_a_streamed_brief_shows_its_stages_then_the_same_brief_as_a_plain_call(
    client: TestClient,
) -> None:
    response = client.post("/v1/briefs", json={"text": TEXT}, headers=STREAM)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    got = events(response.text)
    names = [name for name, _ in got]
    assert names[-1] == "brief" and names.count("brief") == 1 and "error" not in names
    stages = [data["stage"] for name, data in got if name == "progress"]
    assert stages[0] == "finding" and "writing" in stages and stages[-1] == "grounding"
    writing = [data for name, data in got if name == "progress" and data["stage"] == "writing"]
    assert writing[0]["parts"] == 1 and writing[0]["message"]
    # The engine wrote ten tokens a second for 0.3 s, then its last one.
    assert max(data["tokens"] for data in writing) >= 1
    plain = client.post("/v1/briefs", json={"text": TEXT}).json()
    assert _without_timings(got[-1][1]) == _without_timings(plain)


@pytest.mark.parametrize(("body", "headers", "status"), [
    ({"text": "   "}, {}, 422),
    ({"text": TEXT, "language": "de"}, {}, 422),  # checked once the article has been read
    ({"text": "x" * 6000}, {}, 413),
    ("not json", {"content-type": "application/json"}, 400),
    (TEXT, {"content-type": "application/pdf"}, 415),
])
def test_errors_in_the_request_are_plain_http_not_events(
    client: TestClient, body: Any, headers: dict[str, str], status: int,
) -> None:
    if isinstance(body, dict):
        response = client.post("/v1/briefs", json=body, headers=STREAM)
    else:
        response = client.post("/v1/briefs", content=body.encode(), headers={**STREAM, **headers})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert set(response.json()["error"]) == {"code", "message"}


def test_a_full_service_answers_429_with_retry_after_before_any_stream() -> None:
    release = threading.Event()
    engine = ScriptedEngine([draft()] * 2, release=release)
    with _client(engine, max_concurrency=1, max_queue=0) as client:
        wait_ready(client)
        first: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: first.update(
            r=client.post("/v1/briefs", json={"text": TEXT}, headers=STREAM)))
        worker.start()
        while not engine.requests:
            time.sleep(0.01)
        busy = client.post("/v1/briefs", json={"text": TEXT}, headers=STREAM)
        release.set()
        worker.join()
    assert busy.status_code == 429 and int(busy.headers["retry-after"]) >= 1
    assert events(first["r"].text)[-1][0] == "brief"


def test_a_key_is_needed_for_the_stream_too() -> None:
    with _client(ScriptedEngine([draft()]), api_keys="k1") as client:
        wait_ready(client)
        assert client.post("/v1/briefs", json={"text": TEXT}, headers=STREAM).status_code == 401
        ok = client.post("/v1/briefs", json={"text": TEXT},
                         headers={**STREAM, "authorization": "Bearer k1"})
        assert events(ok.text)[-1][0] == "brief"


def test_a_service_still_loading_answers_503_before_any_stream() -> None:
    loaded = threading.Event()

    def slow_engine(_: Settings) -> ScriptedEngine:
        loaded.wait(30)
        return ScriptedEngine([draft()])

    app = create_app(Settings(warmup=False), engine_factory=slow_engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/v1/briefs", json={"text": TEXT}, headers=STREAM)
        loaded.set()
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "engine_unavailable"


class _FailingEngine(ScriptedEngine):
    def generate(self, request: GenerationRequest) -> GenerationResult:
        raise GenerationFailed("the model wrote nothing usable")


def test_a_failure_after_the_stream_began_is_an_error_event_with_the_api_error_object() -> None:
    with _client(_FailingEngine()) as client:
        wait_ready(client)
        got = events(client.post("/v1/briefs", json={"text": TEXT}, headers=STREAM).text)
    name, data = got[-1]
    assert name == "error"
    assert data == {"error": {"code": "generation_failed",
                              "message": "the model wrote nothing usable"}, "status": 502}
    assert [n for n, _ in got[:-1]] and {n for n, _ in got[:-1]} == {"progress"}


def test_a_silent_stage_still_sends_progress_every_heartbeat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long prefill writes no tokens for a while: the stream says it is alive anyway."""
    monkeypatch.setattr(streaming, "HEARTBEAT_S", 0.1)

    class _Silent(ScriptedEngine):
        def generate(self, request: GenerationRequest) -> GenerationResult:
            time.sleep(0.8)
            return super().generate(request)

    with _client(_Silent([draft()])) as client:
        wait_ready(client)
        got = events(client.post("/v1/briefs", json={"text": TEXT}, headers=STREAM).text)
    writing = [d for n, d in got if n == "progress" and d["stage"] == "writing"]
    assert len(writing) >= 4  # 0.8 s of silence at one event per 0.1 s
    assert all(d["tokens"] == 0 for d in writing[:-1])
    assert writing[-1]["elapsed_s"] > writing[0]["elapsed_s"]


def test_a_client_that_leaves_the_stream_cancels_the_generation_and_frees_the_slot() -> None:
    release = threading.Event()  # never set: only a cancel ends this generation
    engine = ScriptedEngine([draft()] * 2, release=release)
    app = create_app(Settings(warmup=False, max_concurrency=1), engine_factory=lambda _: engine)
    with serving_in_thread(app) as url:
        with httpx.stream("POST", f"{url}/v1/briefs", json={"text": TEXT}, headers=STREAM,
                          timeout=10) as response:
            assert response.status_code == 200
            for line in response.iter_lines():
                # The client goes once the model writes: an earlier stage may end before the
                # model is called at all (on a loaded machine), leaving nothing to cancel.
                if line.startswith("data:") and '"writing"' in line:
                    break
        deadline = time.monotonic() + 10
        while not (engine.requests and engine.requests[0].cancel is not None
                   and engine.requests[0].cancel.is_set()):
            assert time.monotonic() < deadline, "the generation was not cancelled"
            time.sleep(0.02)
        # The slot is free again: the next brief runs (release it so it can finish).
        release.set()
        again = httpx.post(f"{url}/v1/briefs", json={"text": TEXT}, timeout=30)
        assert again.status_code == 200, again.text


def test_the_reporter_tells_stage_changes_at_once_and_token_counts_at_most_per_interval() -> None:
    told: list[Progress] = []
    reporter = ProgressReporter(told.append, interval_s=60)
    reporter.stage("writing", parts=2)
    first, second = reporter.token_listener(0), reporter.token_listener(1)
    assert first is not None and second is not None
    for tokens in range(1, 50):
        first(tokens, False)
    second(7, False)
    assert [p.tokens for p in told] == [0]  # within the interval: coalesced
    first(50, True)
    first(50, True)  # a call told finished twice is done once
    second(9, True)
    assert [(p.parts_done, p.tokens) for p in told] == [(0, 0), (1, 57), (2, 59)]
    assert ProgressReporter(None).token_listener(0) is None


def test_a_brief_renders_as_markdown_without_the_model(client: TestClient) -> None:
    brief = client.post("/v1/briefs", json={"text": TEXT}).json()
    response = client.post("/v1/render/markdown", json=brief)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.text.startswith(f"# {brief['headline']}\n")
    assert "## Participants" in response.text
    bad = client.post("/v1/render/markdown", json={"headline": "only this"})
    assert bad.status_code == 422 and "only this" not in bad.text
