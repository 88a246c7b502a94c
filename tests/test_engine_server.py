"""`brief serve` with BRIEF_ENGINE=openai against a real OpenAI-compatible server: llama.cpp's
server (llama-cpp-python's) on 127.0.0.1, serving the embedded model's own GGUF.

The same content assertions as the embedded model's tests, then the engine server is killed
in the middle of a brief (the client gets a 503/504 JSON error, /readyz goes 503) and started
again (the service recovers without a restart of its own). Minutes on a CPU: marked.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SEED, read_article

pytestmark = [pytest.mark.engine_server, pytest.mark.server_process]

SHORT = (
    "OSLO, June 3 (Wire) - Foreign Minister Ingrid Dahl of Norway spoke by phone with "
    "Foreign Minister Tomas Varela of Uruguay on Monday. The two ministers agreed to open "
    "talks on a fisheries agreement. They will meet in Montevideo in September."
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never answered 200: {log.read_text()[-3000:]}")


class LlamaServer:
    """llama-cpp-python's OpenAI-compatible server. `--interrupt_requests False`: by default
    a new request cuts off the stream of the one in progress."""

    def __init__(self, gguf: Path, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.gguf, self.log = gguf, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        started = time.monotonic()
        out = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(self.gguf),
             "--model_alias", "qwen2.5-coder-0.5b", "--host", "127.0.0.1",
             "--port", str(self.port), "--n_ctx", "8192", "--n_threads", "2",
             "--interrupt_requests", "False"],
            stdout=out, stderr=out,
        )
        _wait(f"{self.url}/models", self.process, self.log)
        return time.monotonic() - started

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture(scope="module")
def llama(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    from service.engines.model_source import assemble_embedded_gguf

    folder = tmp_path_factory.mktemp("llama")
    server = LlamaServer(assemble_embedded_gguf(folder / "model.gguf"), folder / "llama.log")
    print(f"\nllama.cpp server ready in {server.start():.1f} s")
    yield server
    server.kill()


@pytest.fixture(scope="module")
def service(llama: LlamaServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("brief") / "brief.log"
    port = _free_port()
    env = {
        **os.environ, "BRIEF_ENGINE": "openai", "BRIEF_OPENAI_BASE_URL": llama.url,
        "BRIEF_OPENAI_SCHEMA_MODE": "auto", "BRIEF_OPENAI_SAMPLING": "llama.cpp",
        "BRIEF_OPENAI_MAX_RETRIES": "1", "BRIEF_OPENAI_TIMEOUT_S": "120",
        "BRIEF_REQUEST_TIMEOUT_S": "240", "BRIEF_WARMUP": "false",
        "BRIEF_HOST": "127.0.0.1", "BRIEF_PORT": str(port),
    }
    out = log.open("ab")
    process = subprocess.Popen([sys.executable, "-m", "service.cli", "serve"], env=env,
                               stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{url}/readyz", process, log)
        yield url
    finally:
        process.kill()
        process.wait(10)


def _brief(url: str, text: str, **fields: Any) -> httpx.Response:
    return httpx.post(f"{url}/v1/briefs", json={"text": text, **fields}, timeout=300)


def _people(brief: dict[str, Any]) -> dict[str, str | None]:
    return {p["name"]: p["country"] for p in brief["participants"]}


def test_the_model_server_is_reported_without_credentials(service: str, llama: LlamaServer) -> None:
    model = httpx.get(f"{service}/v1/model", timeout=10).json()
    assert model["engine"] == "openai"
    assert model["name"] == "qwen2.5-coder-0.5b"
    assert model["location"] == llama.url
    # llama-cpp-python's server refuses OpenAI's json_schema form: auto found the one it takes.
    assert model["parameters"]["schema_mode"] == "json_object"
    assert model["parameters"]["tokenizer"] == "server:/extras/tokenize/count"


def test_a_readout_with_background_people_through_the_model_server(service: str) -> None:
    text = read_article("santiago_readout.txt")
    answer = _brief(service, text)
    assert answer.status_code == 200, answer.text
    brief = answer.json()
    people = _people(brief)
    assert people.get("Lena Varga") == "Hungary"
    assert people.get("Tomás Ibarra") == "Chile"
    assert "Ricardo Fuentes" not in people and "Gyula Horváth" not in people
    assert set(brief["countries"]) == {"Hungary", "Chile"}
    assert brief["event"]["date"] == "2024-04-16"
    assert brief["event"]["location"] == "Santiago"
    assert brief["quotes"] and all(text[q["start"]:q["end"]] == q["text"] for q in brief["quotes"])
    assert any("memorandum" in a for a in brief["agreements"])
    assert brief["meta"]["output_tokens"] > 20


@pytest.mark.skipif(not SEED.is_dir(), reason="the shared seed article is not beside the checkout")
def test_the_seed_through_the_model_server(service: str) -> None:
    text = next(SEED.glob("*.txt")).read_text(encoding="utf-8")
    answer = _brief(service, text, published=str(dt.date(2023, 9, 19)))
    assert answer.status_code == 200, answer.text
    brief = answer.json()
    people = _people(brief)
    assert people.get("Antony Blinken") == "United States"
    assert people.get("Han Zheng") == "China"
    assert brief["event"]["date"] == "2023-09-18"
    assert "New York" in (brief["event"]["location"] or "")
    assert all(text[q["start"]:q["end"]] == q["text"] for q in brief["quotes"])


def test_the_engine_server_dies_mid_brief_then_comes_back(
    service: str, llama: LlamaServer,
) -> None:
    answers: list[httpx.Response] = []
    caller = threading.Thread(target=lambda: answers.append(
        _brief(service, read_article("santiago_readout.txt"))))
    caller.start()
    # A brief takes the server tens of seconds on a CPU: 3 s in, it is reading or writing.
    time.sleep(3.0)
    llama.kill()
    caller.join(120)
    assert answers, "the brief never answered"
    failed = answers[0]
    assert failed.status_code in (503, 504), failed.text
    assert failed.json()["error"]["code"] in ("engine_unavailable", "timeout")
    if failed.status_code == 503:
        assert failed.headers["retry-after"].isdigit()

    deadline = time.monotonic() + 15
    while httpx.get(f"{service}/readyz", timeout=10).status_code != 503:
        assert time.monotonic() < deadline, "/readyz never said the engine is down"
        time.sleep(0.2)
    assert httpx.get(f"{service}/readyz", timeout=10).json()["error"]["code"] == "engine_unavailable"

    llama.start()  # same port, same model
    deadline = time.monotonic() + 30
    while httpx.get(f"{service}/readyz", timeout=10).status_code != 200:
        assert time.monotonic() < deadline, "/readyz did not recover"
        time.sleep(0.2)
    again = _brief(service, SHORT)
    assert again.status_code == 200, again.text
    assert set(_people(again.json())) == {"Ingrid Dahl", "Tomas Varela"}
