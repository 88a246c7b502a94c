"""A real server process on 127.0.0.1 with a tiny model: load, SIGTERM and kill -9.

Bounded: 50 clients for 20 s at most, loopback only.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import read_article, wait_until_serving

pytestmark = pytest.mark.server_process
TEXT = read_article("santiago_readout.txt")
MAX_QUEUE = 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, model_dir: Path, log_path: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ, "BRIEF_MODEL": str(model_dir), "BRIEF_PORT": str(self.port),
            "BRIEF_HOST": "127.0.0.1", "BRIEF_MAX_CONCURRENCY": "1",
            "BRIEF_MAX_QUEUE": str(MAX_QUEUE), "BRIEF_MAX_NEW_TOKENS": "300",
            "BRIEF_REQUEST_TIMEOUT_S": "60", "BRIEF_QUANTIZE": "none",
        }
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve"], env=self.env, stdout=log, stderr=log
        )
        wait_until_serving(self.url, self.process, self.log_path, 180)

    def in_flight(self) -> float:
        return self.metric("brief_generations_in_flight")

    def metric(self, name: str) -> float:
        for line in httpx.get(f"{self.url}/metrics", timeout=5).text.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        raise AssertionError(f"no metric {name}")

    def wait_in_flight(self) -> None:
        deadline = time.monotonic() + 30
        while self.in_flight() < 1:
            assert time.monotonic() < deadline, "no generation started"
            time.sleep(0.01)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def server(tiny_model_dir: Path, tmp_path: Path) -> Iterator[Server]:
    running = Server(tiny_model_dir, tmp_path / "server.log")
    running.start()
    yield running
    running.stop()


def _post(url: str, timeout: float = 60) -> httpx.Response:
    return httpx.post(f"{url}/v1/briefs", json={"text": TEXT}, timeout=timeout)


def test_load_every_request_answered_200_or_429_and_the_queue_stays_bounded(
    server: Server,
) -> None:
    clients, duration_s = 50, 20.0
    statuses: list[int] = []
    latencies: list[float] = []
    errors: list[str] = []
    queue_seen: list[float] = []
    stop_at = time.monotonic() + duration_s
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(timeout=60) as http:
            for _ in range(400):  # bounded count as well as time
                if time.monotonic() > stop_at:
                    return
                started = time.perf_counter()
                try:
                    response = http.post(f"{server.url}/v1/briefs", json={"text": TEXT})
                except httpx.HTTPError as exc:
                    with lock:
                        errors.append(repr(exc))
                    continue
                with lock:
                    statuses.append(response.status_code)
                    latencies.append(time.perf_counter() - started)
                if response.status_code == 429:
                    time.sleep(0.2)

    def monitor() -> None:
        while time.monotonic() < stop_at:
            queue_seen.append(server.metric("brief_queue_depth"))
            time.sleep(0.2)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    threads.append(threading.Thread(target=monitor))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    ok = [lat for lat, status in zip(latencies, statuses, strict=True) if status == 200]
    summary = {
        "requests": len(statuses) + len(errors), "200": statuses.count(200),
        "429": statuses.count(429), "5xx": sum(s >= 500 for s in statuses),
        "errors": len(errors), "max_queue": max(queue_seen, default=0),
        "p50_200_s": round(statistics.median(ok), 2) if ok else None,
        "p99_200_s": round(statistics.quantiles(ok, n=100)[98], 2) if len(ok) > 1 else None,
    }
    print(f"\nload test: {summary}")
    assert not errors, errors[:3]
    assert set(statuses) <= {200, 429}, summary
    assert statuses.count(200) >= 3 and statuses.count(429) >= 1, summary
    assert summary["max_queue"] <= MAX_QUEUE


def test_sigterm_lets_the_request_in_flight_finish_then_exits_cleanly(server: Server) -> None:
    result: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: result.update(response=_post(server.url)))
    worker.start()
    server.wait_in_flight()
    assert server.process is not None
    server.process.send_signal(signal.SIGTERM)
    worker.join(60)
    assert result["response"].status_code == 200
    assert result["response"].json()["participants"] is not None
    assert server.process.wait(60) == 0


def test_a_killed_server_gives_an_error_not_a_brief_and_comes_back(server: Server) -> None:
    result: dict[str, Any] = {}

    def call() -> None:
        try:
            result["response"] = _post(server.url)
        except httpx.HTTPError as exc:
            result["error"] = exc

    worker = threading.Thread(target=call)
    worker.start()
    server.wait_in_flight()
    assert server.process is not None
    server.process.kill()
    worker.join(30)
    assert "response" not in result and isinstance(result["error"], httpx.TransportError)
    server.start()
    response = _post(server.url)
    assert response.status_code == 200
    assert response.json()["meta"]["input_tokens"] > 0
