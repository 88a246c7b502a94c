"""HTTP behaviour: real app, lifespan and routes, with a scripted or tiny engine."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.http.app import create_app
from service.settings import Settings
from tests.conftest import ScriptedEngine, draft, read_article, wait_ready

TEXT = read_article("santiago_readout.txt")



@pytest.fixture
def engine() -> ScriptedEngine:
    return ScriptedEngine([draft()] * 20)


@pytest.fixture
def client(engine: ScriptedEngine) -> Iterator[TestClient]:
    settings = Settings(max_input_chars=5000, warmup=False)
    app = create_app(settings, engine_factory=lambda _: engine)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        wait_ready(test_client)
        yield test_client


def _error(response: Any, status: int, code: str | None = None) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    if code:
        assert body["error"]["code"] == code
    assert "Traceback" not in response.text
    return str(body["error"]["message"])


def test_post_json_returns_a_brief(client: TestClient) -> None:
    response = client.post("/v1/briefs", json={"text": TEXT, "published": "2024-04-16"})
    assert response.status_code == 200, response.text
    brief = response.json()
    assert brief["schema_version"] == "1"
    assert [p["name"] for p in brief["participants"]] == ["Lena Varga", "Tomás Ibarra"]
    assert brief["event"]["date"] == "2024-04-16"
    for quote in brief["quotes"]:
        assert TEXT[quote["start"] : quote["end"]] == quote["text"]
    assert set(brief["meta"]) >= {"model", "prompt_version", "input_tokens", "output_tokens",
                                  "latency_ms", "warnings"}


def test_post_plain_text_with_fields_as_query_parameters(client: TestClient) -> None:
    response = client.post(
        "/v1/briefs?published=2024-04-16", content=TEXT.encode(),
        headers={"content-type": "text/plain; charset=utf-8"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["event"]["date"] == "2024-04-16"


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_or_blank_text_is_422(client: TestClient, text: str) -> None:
    assert "empty" in _error(client.post("/v1/briefs", json={"text": text}), 422)
    assert "empty" in _error(
        client.post("/v1/briefs", content=text, headers={"content-type": "text/plain"}), 422
    )


def test_malformed_json_is_400(client: TestClient) -> None:
    response = client.post("/v1/briefs", content=b'{"text": "abc',
                           headers={"content-type": "application/json"})
    assert "not valid JSON" in _error(response, 400, "malformed_request")


def test_invalid_utf8_is_400(client: TestClient) -> None:
    response = client.post("/v1/briefs", content=b"caf\xe9 talks",
                           headers={"content-type": "text/plain"})
    assert "UTF-8" in _error(response, 400)


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"title": "no text"}, "text"),
        ({"text": 42}, "text"),
        ({"text": "Talks.", "published": "yesterday"}, "published"),
        ({"text": "Talks.", "colour": "blue"}, "colour"),
        (["text"], "JSON object"),
    ],
)
def test_wrong_fields_are_422_naming_the_problem(
    client: TestClient, payload: Any, fragment: str
) -> None:
    assert fragment in _error(client.post("/v1/briefs", json=payload), 422)


def test_unsupported_content_type_is_415(client: TestClient) -> None:
    response = client.post("/v1/briefs", content=b"<p>hi</p>",
                           headers={"content-type": "application/xml"})
    assert "application/xml" in _error(response, 415, "unsupported_media_type")


def test_text_over_the_limit_is_413_with_the_limit(client: TestClient) -> None:
    message = _error(client.post("/v1/briefs", json={"text": "a" * 5001}), 413, "input_too_large")
    assert "5,000" in message


def test_health_model_and_openapi(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}
    model = client.get("/v1/model").json()
    assert model["name"] == "scripted" and model["prompt_version"] == "brief-v1"
    assert model["limits"]["max_input_chars"] == 5000
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/v1/briefs"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "text/plain", "text/html"}
    assert client.get("/docs").status_code == 200
    _error(client.get("/nope"), 404, "not_found")


def test_model_output_that_cannot_be_parsed_is_a_clear_502() -> None:
    engine = ScriptedEngine(["garbage", "more garbage"])
    app = create_app(Settings(warmup=False), engine_factory=lambda _: engine)
    with TestClient(app) as client:
        wait_ready(client)
        response = client.post("/v1/briefs", json={"text": TEXT})
    assert "could not be parsed" in _error(response, 502, "generation_failed")


def test_not_ready_until_the_model_has_loaded_and_health_answers_meanwhile() -> None:
    release = threading.Event()

    def slow_factory(_: Settings) -> ScriptedEngine:
        release.wait(10)
        return ScriptedEngine([draft()])

    app = create_app(Settings(warmup=False), engine_factory=slow_factory)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        _error(client.get("/readyz"), 503, "loading")
        _error(client.post("/v1/briefs", json={"text": TEXT}), 503, "engine_unavailable")
        release.set()
        wait_ready(client)


def test_a_model_that_fails_to_load_is_reported_by_readyz() -> None:
    def broken(_: Settings) -> ScriptedEngine:
        raise RuntimeError("weights are corrupt")

    with TestClient(create_app(Settings(), engine_factory=broken)) as client:
        deadline = time.monotonic() + 5
        while client.get("/readyz").json()["error"]["code"] == "loading":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert "corrupt" in _error(client.get("/readyz"), 503, "model_load_failed")


def test_generation_does_not_block_other_requests() -> None:
    release = threading.Event()
    engine = ScriptedEngine([draft()], release=release)
    app = create_app(Settings(warmup=False), engine_factory=lambda _: engine)
    with TestClient(app) as client:
        wait_ready(client)
        result: dict[str, int] = {}
        worker = threading.Thread(
            target=lambda: result.update(
                status=client.post("/v1/briefs", json={"text": TEXT}).status_code
            )
        )
        worker.start()
        while not engine.requests:
            time.sleep(0.01)
        assert client.get("/healthz").status_code == 200  # answered while the brief generates
        assert worker.is_alive()
        release.set()
        worker.join()
        assert result["status"] == 200


@pytest.mark.slow
def test_tiny_model_end_to_end_over_http(tiny_engine: object) -> None:
    app = create_app(Settings(), engine_factory=lambda _: tiny_engine)  # type: ignore[arg-type,return-value]
    with TestClient(app) as client:
        wait_ready(client)
        response = client.post("/v1/briefs", json={"text": TEXT})
    assert response.status_code == 200, response.text
    brief = response.json()
    assert brief["meta"]["model"] == "tiny-random-qwen2"
    assert len(brief["key_points"]) >= 3
    assert {q["text"] for q in brief["quotes"]} <= {TEXT[q["start"] : q["end"]] for q in brief["quotes"]}
