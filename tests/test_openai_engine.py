"""The model-server engine against a scripted OpenAI-compatible server (an httpx mock
transport): what real servers rarely do on cue — code fences, values outside the enums,
truncated JSON, 429 with Retry-After, 5xx, answers slower than the deadline, a server that
goes away and comes back. The same engine against a real llama.cpp server is in
test_engine_server.py."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from service.brief.pipeline import BriefPipeline, PipelineConfig
from service.brief.prompts import load_prompts
from service.engines.base import GenerationRequest
from service.engines.openai_engine import (
    EngineMisconfigured,
    OpenAICompatibleEngine,
    RemoteConfig,
    estimate_tokens,
)
from service.errors import Cancelled, DeadlineExceeded, EngineUnavailable, GenerationFailed
from service.http.app import create_app
from service.schemas import BriefRequest
from service.settings import Settings
from tests.conftest import ScriptedEngine, draft, read_article

CONFIG = PipelineConfig(max_input_chars=50_000, max_input_tokens=4000, max_new_tokens=600,
                        repetition_penalty=1.05)
SECRET = "sk-test-never-logged-7f3a"

Reply = Callable[[dict[str, Any]], Any]


def _sse(text: str, finish: str = "stop") -> httpx2.Response:
    """A streamed chat completion, a few characters a chunk, as servers send it."""
    def chunk(delta: dict[str, Any], reason: str | None = None) -> str:
        body = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "fake",
                "choices": [{"index": 0, "delta": delta, "finish_reason": reason}]}
        return f"data: {json.dumps(body)}\n\n"

    events = [chunk({"role": "assistant"})]
    events += [chunk({"content": text[i:i + 7]}) for i in range(0, len(text), 7)]
    events += [chunk({}, finish), "data: [DONE]\n\n"]
    return httpx2.Response(200, text="".join(events),
                           headers={"content-type": "text/event-stream"})


@dataclass
class FakeServer:
    """An OpenAI-compatible server whose chat answers are scripted, one per call (the last
    one repeats). `down` makes every call fail to connect, like a stopped server."""

    replies: list[Reply] = field(default_factory=list)
    rejects_json_schema: bool = False
    tokenize: bool = True
    down: bool = False
    bodies: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    cancelled: int = 0

    async def __call__(self, request: httpx2.Request) -> httpx2.Response:
        if self.down:
            raise httpx2.ConnectError("connection refused", request=request)
        self.headers.append(dict(request.headers))
        path = request.url.path
        if path == "/v1/models":
            return httpx2.Response(200, json={"object": "list", "data": [
                {"id": "fake-model", "object": "model", "created": 0, "owned_by": "test"}]})
        if path == "/extras/tokenize/count" and self.tokenize:
            return httpx2.Response(200, json={"count": len(json.loads(request.content)["input"].split())})
        if path != "/v1/chat/completions":
            return httpx2.Response(404, json={"detail": "Not Found"})
        body = json.loads(request.content)
        if self.rejects_json_schema and body.get("response_format", {}).get("type") == "json_schema":
            # What llama-cpp-python's server answers: a 500 with a validation message.
            return httpx2.Response(500, json={"error": {"message": "Input should be 'text' or "
                                                        "'json_object'", "type": "internal_server_error"}})
        if body["messages"][-1]["content"].startswith("Answer with the JSON"):
            return _sse('{"ok": true}')  # the start-up probe
        self.bodies.append(body)
        reply = self.replies[min(len(self.bodies) - 1, len(self.replies) - 1)]
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            answer = reply(body)
            if asyncio.iscoroutine(answer):
                answer = await answer
            return answer if isinstance(answer, httpx2.Response) else _sse(answer)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1


def engine_on(server: FakeServer, **config: Any) -> OpenAICompatibleEngine:
    options: dict[str, Any] = {"schema_mode": "auto", "max_retries": 2, "timeout_s": 5.0,
                               "backoff_s": 0.01}
    options.update(config)
    engine = OpenAICompatibleEngine(
        RemoteConfig(base_url="http://engine:8000/v1", **options),
        transport=httpx2.MockTransport(server),
    )
    engine.verify()
    return engine


def brief_with(server: FakeServer, **config: Any) -> Any:
    engine = engine_on(server, **config)
    try:
        pipeline = BriefPipeline(engine, load_prompts(), CONFIG)
        return pipeline.run(BriefRequest(text=read_article("santiago_readout.txt")))
    finally:
        engine.close()


def _request(**overrides: Any) -> GenerationRequest:
    values: dict[str, Any] = {"messages": [{"role": "user", "content": "Brief it."}],
                              "json_schema": {"type": "object"}, "max_new_tokens": 50}
    values.update(overrides)
    return GenerationRequest(**values)


# --- output the pipeline must not trust --------------------------------------------------


def test_a_draft_in_a_code_fence_with_text_after_it_is_read() -> None:
    server = FakeServer([lambda body: "```json\n" + draft(
        participants=[{"name": "Lena Varga", "country": None}]) + "\n```\nHope this helps!"])
    brief = brief_with(server)
    assert "Lena Varga" in [p.name for p in brief.participants]
    assert len(server.bodies) == 1  # read at once, not retried


def test_values_outside_the_requests_enumerations_are_repaired_not_a_500() -> None:
    server = FakeServer([lambda body: draft(
        event_type="summit-ish", tone="jubilant", location="Atlantis",
        participants=[{"name": "Lena Varga", "country": "Atlantis"}],
        key_points=[2, 3, 2, 4, 5, 6, 7, 8, 9],
    )])
    brief = brief_with(server)
    assert brief.event.type in ("meeting", "call", "visit", "summit", "statement", "briefing",
                                "other")
    assert brief.tone in ("cordial", "constructive", "candid", "tense", "hostile", "neutral")
    assert brief.event.location != "Atlantis"
    assert "Atlantis" not in brief.countries
    assert all(p.country != "Atlantis" for p in brief.participants)
    assert len(brief.key_points) <= 6


def test_a_truncated_draft_is_asked_again_once() -> None:
    whole = draft()
    server = FakeServer([lambda body: _sse(whole[: len(whole) // 2], finish="length"),
                         lambda body: whole])
    brief = brief_with(server)
    assert brief.headline
    assert len(server.bodies) == 2
    assert server.bodies[1]["max_tokens"] == 2 * server.bodies[0]["max_tokens"]


def test_a_draft_truncated_twice_is_the_services_own_502() -> None:
    server = FakeServer([lambda body: _sse('{"headline": "Minis', finish="length")])
    with pytest.raises(GenerationFailed, match="after 2 attempts"):
        brief_with(server)


# --- a server that refuses for a while ---------------------------------------------------


def test_429_is_retried_after_the_servers_retry_after() -> None:
    server = FakeServer([
        lambda body: httpx2.Response(429, json={"error": {"message": "busy"}},
                                     headers={"Retry-After": "0.2"}),
        lambda body: '{"ok": 1}',
    ])
    engine = engine_on(server)
    started = time.monotonic()
    result = engine.generate(_request())
    engine.close()
    assert result.text == '{"ok": 1}'
    assert len(server.bodies) == 2
    assert time.monotonic() - started >= 0.2


def test_a_server_failing_every_retry_is_503_with_retry_after() -> None:
    server = FakeServer([lambda body: httpx2.Response(503, json={"error": {"message": "loading"}})])
    engine = engine_on(server, max_retries=1)
    with pytest.raises(EngineUnavailable) as raised:
        engine.generate(_request())
    engine.close()
    assert raised.value.status == 503
    assert raised.value.headers["Retry-After"].isdigit()
    assert len(server.bodies) == 2  # the call and one retry


def test_an_upstream_timeout_on_every_try_is_504() -> None:
    def timeout(body: dict[str, Any]) -> Any:
        raise httpx2.ReadTimeout("timed out")

    engine = engine_on(FakeServer([timeout]), max_retries=1)
    with pytest.raises(DeadlineExceeded):
        engine.generate(_request())
    engine.close()


def test_a_refused_request_is_not_retried_and_is_502() -> None:
    server = FakeServer([lambda body: httpx2.Response(400, json={"error": {"message": "bad"}})])
    engine = engine_on(server)
    with pytest.raises(GenerationFailed, match="HTTP 400"):
        engine.generate(_request())
    engine.close()
    assert len(server.bodies) == 1


def test_a_slow_answer_past_the_deadline_is_cancelled_upstream() -> None:
    async def slow(body: dict[str, Any]) -> str:
        await asyncio.sleep(30)
        return "{}"

    server = FakeServer([slow])
    engine = engine_on(server)
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        engine.generate(_request(cancel=cancel))
    assert time.monotonic() - started < 5
    deadline = time.monotonic() + 5
    while server.cancelled == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    engine.close()
    assert server.cancelled == 1  # the upstream call itself was stopped


def test_the_parts_of_a_long_article_go_together_up_to_the_bound() -> None:
    async def answer(body: dict[str, Any]) -> str:
        await asyncio.sleep(0.2)
        return "{}"

    server = FakeServer([answer])
    engine = engine_on(server, max_concurrency=3)
    started = time.monotonic()
    results = engine.generate_batch([_request() for _ in range(6)])
    engine.close()
    assert len(results) == 6
    assert server.most_in_flight == 3
    assert time.monotonic() - started < 1.0  # two rounds of 0.2 s, not six


# --- what the server is told ---------------------------------------------------------------


@pytest.mark.parametrize(("dialect", "sent"), [
    ("openai", {}), ("vllm", {"repetition_penalty": 1.15}), ("llama.cpp", {"repeat_penalty": 1.15}),
])
def test_the_repetition_penalty_goes_in_the_servers_own_field(
    dialect: str, sent: dict[str, float],
) -> None:
    server = FakeServer([lambda body: "{}"])
    engine = engine_on(server, sampling=dialect)
    engine.generate(_request(repetition_penalty=1.15))
    engine.close()
    body = server.bodies[0]
    assert "frequency_penalty" not in body  # a different thing from HF's penalty
    assert {k: body[k] for k in ("repetition_penalty", "repeat_penalty") if k in body} == sent
    assert body["temperature"] == 0.0 and body["stream"] is True


def test_auto_schema_mode_falls_back_to_json_object_where_json_schema_is_refused() -> None:
    server = FakeServer([lambda body: "{}"], rejects_json_schema=True)
    engine = engine_on(server, schema_mode="auto")
    engine.generate(_request(json_schema={"type": "object", "properties": {}}))
    engine.close()
    assert engine.info.parameters["schema_mode"] == "json_object"
    assert server.bodies[0]["response_format"] == {"type": "json_object",
                                                   "schema": {"type": "object", "properties": {}}}


def test_a_refused_schema_form_is_a_start_up_configuration_error() -> None:
    server = FakeServer([lambda body: "{}"], rejects_json_schema=True)
    with pytest.raises(EngineMisconfigured, match="BRIEF_OPENAI_SCHEMA_MODE"):
        engine_on(server, schema_mode="json_schema")


def test_json_schema_mode_sends_openais_strict_form() -> None:
    server = FakeServer([lambda body: "{}"])
    engine = engine_on(server, schema_mode="json_schema")
    engine.generate(_request(json_schema={"type": "object"}))
    engine.close()
    form = server.bodies[0]["response_format"]
    assert form["type"] == "json_schema"
    assert form["json_schema"]["strict"] is True and form["json_schema"]["schema"] == {"type": "object"}


def test_tokens_are_counted_by_the_server_where_it_can_else_estimated() -> None:
    counted = engine_on(FakeServer([lambda body: "{}"]))
    assert counted.count_tokens("one two three") == 3
    assert counted.info.parameters["tokenizer"] == "server:/extras/tokenize/count"
    counted.close()
    estimated = engine_on(FakeServer([lambda body: "{}"], tokenize=False))
    assert estimated.count_tokens("x" * 30) == estimate_tokens("x" * 30) == 10
    assert estimated.info.parameters["tokenizer"].startswith("estimate")
    estimated.close()


def test_the_api_key_is_sent_but_never_logged_or_reported(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server = FakeServer([lambda body: httpx2.Response(503, json={"error": {"message": "x"}})])
    engine = OpenAICompatibleEngine(
        RemoteConfig(base_url="http://user:pw@engine:8000/v1", api_key=SECRET, max_retries=1,
                     backoff_s=0.01),
        transport=httpx2.MockTransport(server),
    )
    engine.verify()
    with pytest.raises(EngineUnavailable) as raised:
        engine.generate(_request())
    engine.close()
    assert server.headers[0]["authorization"] == f"Bearer {SECRET}"
    assert engine.info.location == "http://engine:8000/v1"
    logged = caplog.text + raised.value.message + json.dumps(engine.info.parameters)
    assert SECRET not in logged and "pw@" not in logged


# --- readiness follows the server ---------------------------------------------------------


def test_health_follows_the_server_down_and_back_up() -> None:
    server = FakeServer([lambda body: "{}"])
    engine = engine_on(server)
    assert engine.health() is None
    server.down = True
    engine._health = None  # no waiting out the cache in a test
    problem = engine.health()
    assert problem is not None and "http://engine:8000/v1" in problem
    with pytest.raises(EngineUnavailable):
        engine.generate(_request())
    server.down = False
    engine._health = None
    assert engine.health() is None
    assert engine.generate(_request()).text == "{}"
    engine.close()


def test_a_server_down_at_start_up_is_checked_again_when_it_answers() -> None:
    server = FakeServer([lambda body: "{}"], down=True, rejects_json_schema=True)
    engine = OpenAICompatibleEngine(RemoteConfig(base_url="http://engine:8000/v1",
                                                 schema_mode="auto", max_retries=0),
                                    transport=httpx2.MockTransport(server))
    with pytest.raises(EngineUnavailable):
        engine.verify()
    assert engine.health() is not None
    server.down = False
    engine._health = None
    assert engine.health() is None
    assert engine.info.parameters["schema_mode"] == "json_object"
    engine.close()


class _UnreachableEngine(ScriptedEngine):
    problem: str | None = "engine server unreachable at http://engine:8000/v1"

    def health(self) -> str | None:
        return self.problem


def test_readyz_is_503_while_the_engine_is_unreachable_and_recovers() -> None:
    engine = _UnreachableEngine([draft()] * 3)
    app = create_app(Settings(warmup=False), lambda settings: engine)
    with TestClient(app) as client:
        deadline = time.monotonic() + 10
        while client.get("/readyz").json().get("error", {}).get("code") == "loading":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        down = client.get("/readyz")
        assert down.status_code == 503
        assert down.json()["error"]["code"] == "engine_unavailable"
        assert "unreachable" in down.json()["error"]["message"]
        engine.problem = None
        assert client.get("/readyz").status_code == 200


def test_brief_over_http_from_an_unreachable_server_is_a_503_json_error() -> None:
    server = FakeServer([lambda body: "{}"], down=True)
    engine = OpenAICompatibleEngine(RemoteConfig(base_url="http://engine:8000/v1", max_retries=0),
                                    transport=httpx2.MockTransport(server))
    app = create_app(Settings(warmup=False), lambda settings: engine, close_engine=True)
    with TestClient(app) as client:
        deadline = time.monotonic() + 10
        while client.get("/readyz").json().get("error", {}).get("code") == "loading":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        answer = client.post("/v1/briefs", json={"text": read_article("santiago_readout.txt")})
        model = client.get("/v1/model")
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "engine_unavailable"
    assert answer.headers["retry-after"].isdigit()
    assert model.json()["engine"] == "openai"
    assert model.json()["location"] == "http://engine:8000/v1"


def test_a_ca_bundle_that_is_not_one_is_a_configuration_error(tmp_path: Any) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate\n")
    with pytest.raises(EngineMisconfigured, match="BRIEF_OPENAI_CA_BUNDLE"):
        OpenAICompatibleEngine(RemoteConfig(base_url="https://engine:8443/v1", ca_bundle=bundle))


def test_no_base_url_is_a_configuration_error() -> None:
    with pytest.raises(EngineMisconfigured, match="BRIEF_OPENAI_BASE_URL"):
        RemoteConfig.from_settings(Settings(engine="openai"))


def test_the_calls_listener_hears_the_streamed_tokens_then_the_servers_count() -> None:
    heard: list[tuple[int, bool]] = []
    engine = engine_on(FakeServer([lambda body: draft()]))
    try:
        result = engine.generate(_request(on_tokens=lambda n, done: heard.append((n, done))))
    finally:
        engine.close()
    pieces = -(-len(draft()) // 7)  # the fake server streams seven characters a chunk
    assert [n for n, _ in heard[:-1]] == list(range(1, pieces + 1))
    assert heard[-1] == (result.output_tokens, True)
