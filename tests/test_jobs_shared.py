"""Jobs over HTTP with the stores' new duties (in-process apps, scripted engine): two apps on
one PostgreSQL answer for each other's jobs and a cancel sent to one stops the item running
on the other; caps answer 429 with Retry-After, a full store 507; queued jobs expire;
callbacks are signed with their key's own secret, delivered a few at a time, and the
receiver's answer body is never read. The kill -9 test with two real server processes is in
tests/test_jobs_replicas.py."""

from __future__ import annotations

import asyncio
import hmac
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from service.http.app import create_app
from service.jobs.callbacks import (
    CallbackPolicy,
    CallbackSender,
    callback_key,
    owner_of,
    signature,
)
from service.jobs.runner import JobRunner
from service.jobs.sqlite_store import SqliteJobStore
from service.jobs.store import NewJob
from service.settings import Settings
from tests.conftest import ScriptedEngine, draft, read_article, wait_ready

TEXT = read_article("santiago_readout.txt")


def _client(data_dir: Path, engine: Any, **settings: Any) -> TestClient:
    app = create_app(Settings(warmup=False, data_dir=data_dir, **settings),
                     engine_factory=lambda _: engine)
    return TestClient(app, raise_server_exceptions=False)


def _status(client: TestClient, job_id: str) -> dict[str, Any]:
    return dict(client.get(f"/v1/jobs/{job_id}").json())


def test_two_replicas_on_one_postgresql_answer_for_each_other_and_cancel_across(
    tmp_path: Path, postgres_url: str,
) -> None:
    release = threading.Event()  # never set: only a cancel ends A's brief
    engine_a = ScriptedEngine([draft()] * 5, release=release)
    engine_b = ScriptedEngine([draft()] * 5, release=release)
    shared = {"jobs_url": postgres_url, "max_concurrency": 1}
    with _client(tmp_path / "a", engine_a, **shared) as a, \
            _client(tmp_path / "b", engine_b, **shared) as b:
        wait_ready(a)
        wait_ready(b)
        job_id = a.post("/v1/jobs", json={"items": [{"text": TEXT}] * 2}).json()["id"]
        deadline = time.monotonic() + 10
        while not (engine_a.requests and engine_b.requests):
            assert time.monotonic() < deadline, "both replicas should have taken an item"
            time.sleep(0.02)
        assert _status(b, job_id) == _status(a, job_id)
        assert b.get("/v1/jobs").json() == a.get("/v1/jobs").json()
        assert _status(a, job_id)["progress"]["running"] == 2
        sent = time.monotonic()
        assert b.delete(f"/v1/jobs/{job_id}").status_code == 200
        while _status(a, job_id)["progress"]["running"]:
            assert time.monotonic() - sent < 3, "A's item went on after the cancel on B"
            time.sleep(0.05)
        stopped_after = time.monotonic() - sent
        job = _status(b, job_id)
    assert engine_a.requests[0].cancel is not None and engine_a.requests[0].cancel.is_set()
    assert [item["status"] for item in job["items"]] == ["cancelled", "cancelled"]
    assert stopped_after < 3


def test_past_the_caps_a_job_is_429_with_retry_after_and_other_keys_still_get_in(
    tmp_path: Path,
) -> None:
    release = threading.Event()
    engine = ScriptedEngine([draft()] * 10, release=release)
    keys = {"api_keys": "alpha-key,beta-key", "max_queued_items_per_key": 3,
            "max_queued_items": 5, "max_concurrency": 1}
    alpha = {"authorization": "Bearer alpha-key"}
    beta = {"authorization": "Bearer beta-key"}
    with _client(tmp_path, engine, **keys) as client:
        wait_ready(client)
        assert client.post("/v1/jobs", json={"items": [{"text": TEXT}] * 3},
                           headers=alpha).status_code == 202
        refused = client.post("/v1/jobs", json={"text": TEXT}, headers=alpha)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert refused.json()["error"]["code"] == "job_queue_full"
        assert client.post("/v1/jobs", json={"items": [{"text": TEXT}] * 2},
                           headers=beta).status_code == 202
        everyone = client.post("/v1/jobs", json={"text": TEXT}, headers=beta)
        assert everyone.status_code == 429
        assert "BRIEF_MAX_QUEUED_ITEMS" in everyone.json()["error"]["message"]
        release.set()


def test_a_full_store_is_507_and_the_service_keeps_answering(tmp_path: Path) -> None:
    with _client(tmp_path, ScriptedEngine([draft()] * 3)) as client:
        wait_ready(client)
        job_id = client.post("/v1/jobs", json={"text": TEXT}).json()["id"]
        store = client.app.state.service.jobs.store  # type: ignore[attr-defined]
        assert isinstance(store, SqliteJobStore)
        with store._mutex:
            pages = store._db.execute("PRAGMA page_count").fetchone()[0]
            store._db.execute(f"PRAGMA max_page_count = {pages}")
        response = client.post("/v1/jobs", json={"items": [{"text": TEXT}] * 40})
        assert response.status_code == 507, response.text
        assert response.json()["error"]["code"] == "storage_full"
        assert client.get(f"/v1/jobs/{job_id}").status_code == 200
        assert client.get("/healthz").status_code == 200


@pytest.mark.slow
def test_a_job_still_queued_past_its_time_limit_expires(tmp_path: Path) -> None:
    release = threading.Event()
    engine = ScriptedEngine([draft()] * 3, release=release)
    with _client(tmp_path, engine, max_concurrency=1, job_queue_ttl_h=1 / 3600) as client:
        wait_ready(client)
        busy = client.post("/v1/jobs", json={"text": TEXT}).json()["id"]
        while not engine.requests:
            time.sleep(0.01)
        waiting = client.post("/v1/jobs", json={"items": [{"text": TEXT}] * 2}).json()["id"]
        deadline = time.monotonic() + 15
        while _status(client, waiting)["status"] != "expired":
            assert time.monotonic() < deadline, "the queued job did not expire"
            time.sleep(0.1)
        release.set()
        job = _status(client, waiting)
        assert 'brief_jobs{status="expired"} 1.0' in client.get("/metrics").text
        deadline = time.monotonic() + 15
        while _status(client, busy)["status"] == "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert [item["status"] for item in job["items"]] == ["expired", "expired"]
    assert job["progress"]["expired"] == 2 and job["finished_at"] is not None


def _sender(handler: Any) -> CallbackSender:
    async def resolver(host: str, port: int) -> list[str]:
        return ["192.0.2.10"]

    policy = CallbackPolicy.from_entries(True, ["192.0.2.0/24"], "service-secret")
    return CallbackSender(policy, attempts=1, resolver=resolver,
                          transport=httpx2.MockTransport(handler))


def test_each_keys_callbacks_are_signed_with_its_own_key_over_the_url_too() -> None:
    seen: list[httpx2.Request] = []
    sender = _sender(lambda r: seen.append(r) or httpx2.Response(204))
    url = "http://hooks.internal/in"
    for api_key in ("alpha-key", "beta-key"):
        assert asyncio.run(sender.deliver(url, {"id": "job_1"}, owner_of(api_key)))
    alpha, beta = seen
    alpha_key = callback_key(b"service-secret", owner_of("alpha-key"))
    beta_key = callback_key(b"service-secret", owner_of("beta-key"))
    assert alpha_key != beta_key
    for request, key, other in ((alpha, alpha_key, beta_key), (beta, beta_key, alpha_key)):
        timestamp = request.headers["x-brief-timestamp"]
        got = request.headers["x-brief-signature"]
        assert hmac.compare_digest(got, signature(key, timestamp, url, request.content))
        assert got != signature(other, timestamp, url, request.content)
        # The same body signed for another URL is another signature: no replay elsewhere.
        assert got != signature(key, timestamp, "http://hooks.internal/other", request.content)


def test_the_receivers_answer_body_is_not_read() -> None:
    chunks_read = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal chunks_read
        for _ in range(100_000):  # 6.4 GB if read to the end
            chunks_read += 1
            yield b"x" * 65536

    sender = _sender(lambda r: httpx2.Response(200, content=endless()))
    started = time.monotonic()
    assert asyncio.run(sender.deliver("http://hooks.internal/in", {"id": "j"}, "")) is True
    assert chunks_read <= 1 and time.monotonic() - started < 5


class _SlowSender(CallbackSender):
    """Counts deliveries in flight; each takes a while."""

    def __init__(self) -> None:
        super().__init__(CallbackPolicy.from_entries(True, [], "k"))
        self.now = 0
        self.most = 0
        self.done: list[str] = []

    async def deliver(self, url: str, payload: dict[str, Any], owner: str) -> bool:
        self.now += 1
        self.most = max(self.most, self.now)
        await asyncio.sleep(0.2)
        self.now -= 1
        self.done.append(str(payload["id"]))
        return True


class _NoSlots:
    async def acquire_background(self) -> float:
        await asyncio.sleep(3600)
        return 0.0

    def release(self, started: float, *, worked: bool = True) -> None:
        pass


@pytest.fixture
def finished_jobs_with_callbacks(tmp_path: Path) -> Iterator[tuple[SqliteJobStore, list[str]]]:
    store = SqliteJobStore(tmp_path / "jobs.sqlite3")
    ids = []
    for i in range(10):
        job_id, _ = store.create(NewJob("", ['{"text": "x y"}'], f"h{i}",
                                        callback_url="http://hooks.internal/in"))
        claim = store.claim("w", 30)
        assert claim is not None
        store.finish(claim, '{"headline": "x"}', None, "done")
        ids.append(job_id)
    yield store, ids
    store.close()


def test_callbacks_are_delivered_a_few_at_a_time_each_once(
    finished_jobs_with_callbacks: tuple[SqliteJobStore, list[str]],
) -> None:
    store, ids = finished_jobs_with_callbacks
    sender = _SlowSender()

    async def run() -> None:
        runner = JobRunner(store, _NoSlots(), lambda: None, workers=1, request_timeout_s=10,
                           retention_h=72, callbacks=sender, callback_concurrency=3)
        await runner.start()
        deadline = time.monotonic() + 15
        while len(sender.done) < len(ids):
            assert time.monotonic() < deadline, "callbacks were not delivered"
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.2)  # another round of housekeeping: nothing sent twice
        await runner.stop()

    asyncio.run(run())
    assert sender.most == 3
    assert sorted(sender.done) == sorted(ids)
    assert all(store.get_any(i).callback_state == "delivered" for i in ids)  # type: ignore[union-attr]


def test_brief_callback_key_prints_the_key_of_the_api_key_read_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    from service.cli import main

    monkeypatch.setenv("BRIEF_CALLBACK_SECRET", "service-secret")
    monkeypatch.setattr("sys.stdin", io.StringIO("alpha-key\n"))
    assert main(["callback-key"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == callback_key(b"service-secret", owner_of("alpha-key")).decode()
    assert "alpha-key" not in printed and len(printed) == 64
    monkeypatch.delenv("BRIEF_CALLBACK_SECRET")
    assert main(["callback-key"]) == 2


def test_a_replica_shutting_down_gives_its_running_item_back_to_the_queue(
    tmp_path: Path,
) -> None:
    release = threading.Event()  # never set: the item is still running at shutdown
    engine = ScriptedEngine([draft()], release=release)
    with _client(tmp_path, engine, max_concurrency=1) as client:
        wait_ready(client)
        job_id = client.post("/v1/jobs", json={"text": TEXT}).json()["id"]
        while not engine.requests:
            time.sleep(0.01)
    store = SqliteJobStore(tmp_path / "jobs.sqlite3")
    try:
        row = store._db.execute("SELECT status, claimed_by, attempt FROM items WHERE job_id = ?",
                                (job_id,)).fetchone()
        assert tuple(row) == ("queued", None, 1)  # any replica may take it now
        assert store.requeue_interrupted() == 0
        claim = store.claim("next", 30)
        assert claim is not None and claim.attempt == 2
    finally:
        store.close()
