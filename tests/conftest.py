"""Shared fixtures: a tiny random Qwen2 with the real tokenizer, and a scripted engine."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

# The quick loop runs on two pytest-xdist workers (README): on a two-core machine each takes
# one torch thread, or the two fight over both cores and the loop gets slower, not faster.
# Set before anything imports torch, which reads it once.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")

from service.engines.base import EngineInfo, GenerationRequest, GenerationResult
from service.errors import Cancelled
from service.settings import Settings

# Brief jobs' store: every app a test builds, and every server process it starts, keeps its
# jobs in this session's own folder, never in the user's data dir.
if "BRIEF_DATA_DIR" not in os.environ:
    _DATA_DIR = tempfile.mkdtemp(prefix="brief-test-data-")
    os.environ["BRIEF_DATA_DIR"] = _DATA_DIR
    # Removed when the session ends (server processes have stopped by then).
    atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)

# Starlette's TestClient sends `Host: testserver`: every app a test builds answers to it (the
# host check's own tests set BRIEF_ALLOWED_HOSTS themselves).
os.environ.setdefault("BRIEF_ALLOWED_HOSTS", "testserver")

ARTICLES = Path(__file__).parent / "articles"
REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seeds"


def read_article(name: str) -> str:
    return (ARTICLES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def tokenizer_dir(settings: Settings) -> Path:
    """The embedded model's real tokenizer, extracted from its GGUF once and cached."""
    from service.engines.model_source import EMBEDDED_SHA256, embedded_checkpoint

    full = settings.cache_dir / "models" / EMBEDDED_SHA256[:16] / "checkpoint"
    if (full / "tokenizer.json").is_file():
        return full
    return embedded_checkpoint(settings.cache_dir, tokenizer_only=True)


@pytest.fixture(scope="session")
def tiny_engine(tokenizer_dir: Path) -> Any:
    """The real engine class around a 2-layer random Qwen2: the whole pipeline in seconds."""
    import torch
    from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM

    from service.engines.transformers_engine import engine_from_pretrained

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    torch.manual_seed(0)
    config = Qwen2Config(
        vocab_size=151936, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=32768,
        tie_word_embeddings=True, eos_token_id=151645, bos_token_id=151643,
    )
    model = Qwen2ForCausalLM(config)
    return engine_from_pretrained(model, tokenizer, "tiny-random-qwen2")


@pytest.fixture(scope="session")
def tiny_model_dir(tiny_engine: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model saved as a transformers directory, for `brief serve` processes."""
    directory = tmp_path_factory.mktemp("tiny-model")
    tiny_engine._model.save_pretrained(directory)
    tiny_engine._tokenizer.save_pretrained(directory)
    return directory


class ScriptedEngine:
    """Returns queued outputs and records every request, so tests can check what was asked."""

    def __init__(
        self, outputs: list[str] | None = None, delay_s: float = 0.0,
        release: threading.Event | None = None,
    ) -> None:
        self.outputs = list(outputs or [])
        self.requests: list[GenerationRequest] = []
        self.delay_s = delay_s
        # When given, generation also waits until the test sets it: "still running" without
        # guessing how long the machine takes to get there.
        self.release = release

    @property
    def info(self) -> EngineInfo:
        return EngineInfo("scripted", "test", "memory", {"parameters": 0})

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def health(self) -> str | None:
        return None

    def generate(self, request: GenerationRequest) -> GenerationResult:
        self.requests.append(request)
        waited = 0.0
        while waited < self.delay_s or (self.release is not None and not self.release.is_set()):
            if request.cancel is not None and request.cancel.is_set():  # like the real engine
                raise Cancelled("cancelled")
            time.sleep(0.01)
            waited += 0.01
            if request.on_tokens is not None:  # as an engine writing ten tokens a second
                request.on_tokens(min(19, int(waited * 10)), False)
        text = self.outputs.pop(0) if self.outputs else "OK"
        if request.on_tokens is not None:
            request.on_tokens(20, True)
        return GenerationResult(text, 100, 20, 1.0, 2.0, truncated=False)

    def generate_batch(self, requests: list[GenerationRequest]) -> list[GenerationResult]:
        return [self.generate(request) for request in requests]

    def close(self) -> None:
        self.closed = True


def wait_until_serving(url: str, process: Any, log_path: Path, timeout_s: float) -> None:
    """Until a server process's /readyz says 200; its log's tail if it exits or never does."""
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert process.poll() is None, log_path.read_text()[-3000:]
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not become ready:\n" + log_path.read_text()[-3000:])


@contextmanager
def serving_in_thread(app: Any) -> Iterator[str]:
    """The app under a real uvicorn on 127.0.0.1 in this process (real sockets, so a client
    can really leave), until ready; yields its URL."""
    import socket

    import httpx
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        yield url
    finally:
        server.should_exit = True
        thread.join(10)


def wait_ready(client: Any, timeout: float = 120) -> None:
    """Until the app's /readyz says the model is loaded (it loads in a thread)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.get("/readyz").status_code == 200:
            return
        time.sleep(0.05)
    raise AssertionError("service never became ready")


def draft(**overrides: Any) -> str:
    """A model output (draft) in the shape the constraint produces."""
    value: dict[str, Any] = {
        "headline": "Ministers meet",
        "summary": "Two ministers met for talks and signed a memorandum of understanding.",
        "event_type": "meeting",
        "location": None,
        "participants": [],
        "key_points": [2, 3],
        "topics": ["trade"],
        "agreements": [],
        "disagreements": [],
        "next_steps": [],
        "tone": "constructive",
    }
    value.update(overrides)
    return json.dumps(value)


def scripted_brief(text: str, source: str | None = None, **model: Any) -> Any:
    """The pipeline's brief of `text` (from the web address `source`) when the model writes
    `draft(**model)`."""
    from service.brief.pipeline import BriefPipeline, PipelineConfig
    from service.brief.prompts import load_prompts
    from service.schemas import BriefRequest

    config = PipelineConfig(max_input_chars=50_000, max_input_tokens=4000, max_new_tokens=600,
                            repetition_penalty=1.05)
    pipeline = BriefPipeline(ScriptedEngine([draft(**model)]), load_prompts(), config)  # type: ignore[arg-type]
    return pipeline.run(BriefRequest(text=text, source=source))


@pytest.fixture
def scripted() -> Iterator[ScriptedEngine]:
    yield ScriptedEngine()


ARTIFACTS_DIR = REPO / "artifacts"
SAVED_ARTIFACTS: list[Path] = []
"""Files a test run leaves for a person to look at (the analyst page's screenshots); their
paths are printed at the end of the run, so a CI log says where they are."""


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for path in SAVED_ARTIFACTS:
        terminalreporter.write_line(f"artifact: {path}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A running PostgreSQL's URL (tests/postgres.py: CI's, or one started for the session)."""
    from tests.postgres import server_url

    with server_url() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """An empty database of the test's own on that server."""
    from tests.postgres import fresh_database

    with fresh_database(postgres_server) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, one per test module (the `browser` tests)."""
    from playwright.sync_api import sync_playwright

    from tests.test_page import CHROMIUM_ARGS, _chromium

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
