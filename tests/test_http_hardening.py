"""The HTTP edge under hostile or careless clients: over-limit bodies, slow and idle clients,
the connection bound, unknown methods, hostile HTML and what the logs may say.

The socket tests run against one real `brief serve` process on 127.0.0.1 (short timeouts);
every loop is bounded in count and time.
"""

from __future__ import annotations

import contextlib
import json
import logging
import select
import socket
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import lxml.etree
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

import service.text.html
from service.engines.base import GenerationRequest, GenerationResult
from service.http.app import create_app
from service.http.logs import WITHHELD, JsonFormatter
from service.http.protocol import MAX_HEADER_BYTES
from service.settings import Settings
from tests.conftest import ScriptedEngine, draft, read_article, wait_ready
from tests.test_server_process import Server

TEXT = read_article("santiago_readout.txt")
# A phrase of the article, short enough for pydantic to quote it whole in its errors.
ARTICLE_PHRASE = "Hungarian Foreign Minister Lena Varga met"
assert ARTICLE_PHRASE in TEXT
BODY_TIMEOUT_S = 3
HEADER_TIMEOUT_S = 3
KEEP_ALIVE_S = 1
MAX_CONNECTIONS = 6


def _error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert "Traceback" not in response.text
    return str(body["error"]["message"])


def _client(engine: Any, **settings: Any) -> TestClient:
    app = create_app(Settings(warmup=False, **settings), engine_factory=lambda _: engine)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with _client(ScriptedEngine([draft()] * 10)) as test_client:
        wait_ready(test_client)
        yield test_client


# --- metrics labels ----------------------------------------------------------------------


def test_unknown_methods_and_paths_share_bounded_metric_labels(client: TestClient) -> None:
    made_up = "X" + uuid.uuid4().hex[:10].upper()
    random_path = "/" + uuid.uuid4().hex
    for method, path in (("PROPFIND", "/v1/briefs"), ("PURGE", "/healthz"),
                         (made_up, "/v1/briefs"), ("GET", random_path)):
        assert client.request(method, path).status_code in (404, 405)
    metrics = client.get("/metrics").text
    assert 'method="other",route="/v1/briefs",status="405"} 2.0' in metrics
    assert 'method="other",route="/healthz",status="405"} 1.0' in metrics
    assert 'method="GET",route="unmatched",status="404"} 1.0' in metrics
    for raw in ("PROPFIND", "PURGE", made_up, random_path):
        assert raw not in metrics


# --- hostile HTML --------------------------------------------------------------------------

ARTICLE_HTML = "".join(f"<p>{paragraph}</p>" for paragraph in TEXT.split("\n\n"))


@pytest.mark.parametrize(
    ("html", "fragment"),
    [
        # htmldate trips an assertion in lxml's drop_tree on this (was a 500).
        ("<svg><link><figcaption>", "no article text"),
        ("<math><link rel='canonical' href='#x110000'><figure>", "no article text"),
        ("<?xml version='1.0' encoding='ebcdic'?>", "no article text"),
        ("<html><body>" + "<div>" * 50_000 + "</body></html>", "no article text"),
        ("<p " + " ".join(f"a{i}='1'" for i in range(5000)) + ">x</p>" + ARTICLE_HTML,
         "more than 1,000 attributes"),
        ("<p>\x00</p>" + ARTICLE_HTML, "NUL"),
    ],
    ids=["svg-link-figcaption", "math-link-figure", "xml-declaration-only", "deep-nesting",
         "many-attributes", "nul"],
)
def test_hostile_html_is_a_4xx_json_error(client: TestClient, html: str, fragment: str) -> None:
    response = client.post("/v1/briefs", json={"html": html})
    assert fragment in _error(response, 422, "invalid_input")


def test_a_page_whose_metadata_trips_the_extractor_is_still_briefed(client: TestClient) -> None:
    response = client.post("/v1/briefs", json={"html": "<svg><link><figcaption>" + ARTICLE_HTML})
    assert response.status_code == 200, response.text
    assert response.json()["participants"]


def test_an_absurdly_long_page_title_is_not_the_headline(client: TestClient) -> None:
    html = f"<html><head><title>{'T' * 20_000}</title></head><body>{ARTICLE_HTML}</body></html>"
    response = client.post("/v1/briefs", json={"html": html})
    assert response.status_code == 200, response.text
    assert "TTTT" not in response.json()["headline"]


def test_any_library_error_in_the_html_extractor_is_422(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(html: str, with_metadata: bool) -> Any:
        raise lxml.etree.ParserError("Document is empty: " + html[:20])

    monkeypatch.setattr(service.text.html, "_extract", broken)
    message = _error(client.post("/v1/briefs", json={"html": ARTICLE_HTML}), 422, "invalid_input")
    assert "ParserError" in message and ARTICLE_PHRASE[:20] not in message


# --- logs ----------------------------------------------------------------------------------


class _Article(BaseModel):
    count: int


class ValidationFailingEngine(ScriptedEngine):
    """An engine that fails with a pydantic error quoting its prompt (the article)."""

    def generate(self, request: GenerationRequest) -> GenerationResult:
        prompt = " ".join(message["content"] for message in request.messages)
        start = prompt.index(ARTICLE_PHRASE)
        _Article.model_validate({"count": prompt[start : start + len(ARTICLE_PHRASE)]})
        raise AssertionError("unreachable")


def _json_logs(caplog: pytest.LogCaptureFixture, log_content: bool) -> None:
    caplog.set_level(logging.INFO)
    caplog.handler.setFormatter(JsonFormatter(log_content))


def test_formatter_withholds_pydantic_inputs_unless_content_logging_is_on() -> None:
    # The article's own words may look like the end of pydantic's quote. (A variable: the
    # traceback quotes this source line.)
    quoted = "Lena Varga, input_type=str] met"
    with pytest.raises(ValidationError) as caught:
        _Article.model_validate({"count": quoted})
    exc = caught.value
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed: %s", (exc,),
                               (type(exc), exc, exc.__traceback__))
    quiet, loud = JsonFormatter().format(record), JsonFormatter(log_content=True).format(record)
    assert "Lena Varga" not in quiet and " met" not in quiet
    assert quiet.count(WITHHELD) == 2  # the message and the traceback
    assert "int_parsing" in quiet and "input_type=str]" in quiet
    assert quoted in loud and WITHHELD not in loud


def test_an_unexpected_error_quoting_the_article_is_logged_without_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    _json_logs(caplog, log_content=False)
    with _client(ValidationFailingEngine()) as client:
        wait_ready(client)
        response = client.post("/v1/briefs", json={"text": TEXT})
    assert "unexpected error" in _error(response, 500, "internal_error")
    logged = caplog.text
    assert "ValidationError" in logged and WITHHELD in logged
    assert "Lena Varga" not in logged
    # What was withheld: the same records, content logging on.
    loud = JsonFormatter(log_content=True)
    assert any(ARTICLE_PHRASE in loud.format(record) for record in caplog.records)


def test_validation_messages_do_not_echo_the_input(client: TestClient) -> None:
    response = client.post("/v1/briefs", json={"text": TEXT, "published": ARTICLE_PHRASE,
                                               "title": [ARTICLE_PHRASE]})
    message = _error(response, 422, "invalid_input")
    assert "published" in message and ARTICLE_PHRASE[:20] not in message


@pytest.mark.parametrize("log_content", [True, False])
def test_log_content_logs_the_article_at_info(
    caplog: pytest.LogCaptureFixture, log_content: bool
) -> None:
    _json_logs(caplog, log_content)
    with _client(ScriptedEngine([draft()]), log_content=log_content) as client:
        wait_ready(client)
        assert client.post("/v1/briefs", json={"text": TEXT}).status_code == 200
    briefs = [r for r in caplog.records if r.getMessage() == "brief"]
    if log_content:
        assert [r.levelno for r in briefs] == [logging.INFO]
        assert briefs[0].text == TEXT and briefs[0].brief["participants"]  # type: ignore[attr-defined]
    else:
        assert not briefs and ARTICLE_PHRASE not in caplog.text


# --- a real server process -----------------------------------------------------------------


@pytest.fixture(scope="module")
def edge_server(
    tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    server = Server(tiny_model_dir, tmp_path_factory.mktemp("edge") / "server.log")
    server.env.update({
        "BRIEF_WARMUP": "false", "BRIEF_BODY_READ_TIMEOUT_S": str(BODY_TIMEOUT_S),
        "BRIEF_HEADER_TIMEOUT_S": str(HEADER_TIMEOUT_S), "BRIEF_KEEP_ALIVE_S": str(KEEP_ALIVE_S),
        "BRIEF_MAX_CONNECTIONS": str(MAX_CONNECTIONS),
    })
    server.start()
    yield server
    server.stop()


def _connect(server: Server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def _read_until_closed(sock: socket.socket, within_s: float) -> bytes:
    """Everything the server sends until it closes the connection (bounded by `within_s`).
    A reset counts as closed: it is what a client that sent more than was read gets."""
    data = b""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        ready, _, _ = select.select([sock], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk
    raise AssertionError(f"the server did not close the connection within {within_s} s: {data!r}")


def _split(response: bytes) -> tuple[str, dict[str, str], Any]:
    head, _, body = response.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return status, headers, json.loads(body) if body else None


@pytest.mark.server_process
@pytest.mark.parametrize(("path", "status"), [("/v1/briefs", 413), ("/nope", 404)])
def test_a_client_that_writes_a_10_mb_body_first_reads_the_error(
    edge_server: Server, path: str, status: int
) -> None:
    body = json.dumps({"text": "a" * 10_000_000}).encode()
    request = urllib.request.Request(f"{edge_server.url}{path}", data=body,
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    elapsed_ms = (time.perf_counter() - started) * 1000
    print(f"\nurllib 10 MB to {path}: {caught.value.code} in {elapsed_ms:.0f} ms")
    assert caught.value.code == status
    error = json.loads(caught.value.read())["error"]
    assert error["code"] == {413: "input_too_large", 404: "not_found"}[status]


@pytest.mark.server_process
def test_a_body_declared_past_the_drain_bound_is_refused_at_once(edge_server: Server) -> None:
    with _connect(edge_server) as sock:
        sock.sendall(b"POST /v1/briefs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100000000\r\n\r\n" + b"a" * 1000)
        status, headers, body = _split(_read_until_closed(sock, within_s=5))
    assert status.startswith("HTTP/1.1 413") and headers["connection"] == "close"
    assert body["error"]["code"] == "input_too_large"


@pytest.mark.server_process
def test_a_trickled_body_is_cut_off_with_408_while_health_answers(edge_server: Server) -> None:
    with _connect(edge_server) as sock:
        sock.sendall(b"POST /v1/briefs HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                     b"Content-Length: 1000\r\n\r\n")
        started = time.monotonic()
        health = []
        for _ in range(4 * BODY_TIMEOUT_S + 8):  # a byte each 0.5 s, bounded
            sock.sendall(b"a")
            if not health:
                health.append(httpx.get(f"{edge_server.url}/healthz", timeout=5).status_code)
            if select.select([sock], [], [], 0.5)[0]:
                break
        response = _read_until_closed(sock, within_s=5)
        elapsed = time.monotonic() - started
    status, headers, body = _split(response)
    assert health == [200]
    assert status.startswith("HTTP/1.1 408") and headers["connection"] == "close"
    assert body["error"]["code"] == "request_timeout"
    assert BODY_TIMEOUT_S - 0.5 < elapsed < BODY_TIMEOUT_S + 10


@pytest.mark.server_process
def test_idle_and_slow_header_connections_are_closed(edge_server: Server) -> None:
    with _connect(edge_server) as idle, _connect(edge_server) as slow, \
            _connect(edge_server) as kept:
        started = time.monotonic()
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHo")
        kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        # The kept-alive connection is answered, then closed after BRIEF_KEEP_ALIVE_S idle;
        # the other two after BRIEF_HEADER_TIMEOUT_S.
        status, _, body = _split(_read_until_closed(kept, within_s=KEEP_ALIVE_S + 3))
        assert status.startswith("HTTP/1.1 200") and body == {"status": "ok"}
        assert time.monotonic() - started > KEEP_ALIVE_S - 0.5
        slow.sendall(b"s")  # more bytes do not move the deadline
        assert _read_until_closed(idle, within_s=HEADER_TIMEOUT_S + 3) == b""
        status, headers, body = _split(_read_until_closed(slow, within_s=3))
        elapsed = time.monotonic() - started
    assert status.startswith("HTTP/1.1 408") and headers["connection"] == "close"
    assert body["error"]["code"] == "request_timeout"
    assert HEADER_TIMEOUT_S - 0.5 < elapsed < HEADER_TIMEOUT_S + 10


@pytest.mark.server_process
def test_oversized_headers_get_431_and_the_connection_closed(edge_server: Server) -> None:
    with _connect(edge_server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        padding = b"X-Pad: " + b"a" * 8000 + b"\r\n"
        with contextlib.suppress(OSError):  # the server may close while this is sent
            for _ in range(MAX_HEADER_BYTES // len(padding) + 4):
                sock.sendall(padding)
        status, headers, body = _split(_read_until_closed(sock, within_s=5))
    assert status.startswith("HTTP/1.1 431") and headers["connection"] == "close"
    assert body["error"]["code"] == "headers_too_large"


@pytest.mark.server_process
def test_connections_past_the_bound_get_503_until_they_close(edge_server: Server) -> None:
    held = [_connect(edge_server) for _ in range(MAX_CONNECTIONS)]
    for sock in held:  # each has asked for something (its headers still to come): it counts
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")
    time.sleep(0.2)
    try:
        refused = httpx.get(f"{edge_server.url}/healthz", timeout=5)
    finally:
        for sock in held:
            sock.close()
    assert _error(refused, 503, "too_many_connections")
    assert refused.headers["retry-after"] == "1"
    deadline = time.monotonic() + 5
    while (status := httpx.get(f"{edge_server.url}/healthz", timeout=5).status_code) != 200:
        assert time.monotonic() < deadline, status
        time.sleep(0.05)


@pytest.mark.server_process
def test_silent_connections_hold_no_place_and_are_closed_after_2_s(edge_server: Server) -> None:
    # Far more sockets than BRIEF_MAX_CONNECTIONS, none sending a byte: they took every place,
    # and every real request got 503 until they were closed.
    silent = [_connect(edge_server) for _ in range(70)]
    try:
        time.sleep(0.3)
        started = time.perf_counter()
        answered = httpx.get(f"{edge_server.url}/healthz", timeout=5)
        waited = time.perf_counter() - started
        assert answered.status_code == 200, answered.text
        assert waited < 3, waited
        print(f"\n/healthz beside 70 silent sockets: {waited * 1000:.0f} ms")
        # Each is closed once it has said nothing for BRIEF_REQUEST_LINE_TIMEOUT_S (2 s).
        for sock in silent:
            assert _read_until_closed(sock, within_s=5) == b""
    finally:
        for sock in silent:
            sock.close()
