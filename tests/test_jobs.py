"""Brief jobs over HTTP (in-process app, scripted engine): lifecycle, per-item errors,
pages, idempotency, key isolation, cancel, retention, fairness with interactive requests,
callbacks; the store's resume after a crash. The kill -9 test with a real server process is
in tests/test_jobs_process.py."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx2
import pytest
from fastapi.testclient import TestClient

from service.http.app import create_app
from service.jobs.callbacks import CallbackPolicy, CallbackSender, callback_key, signature
from service.jobs.sqlite_store import SqliteJobStore
from service.jobs.store import NewJob
from service.settings import Settings
from tests.conftest import ScriptedEngine, draft, read_article, wait_ready

TEXT = read_article("santiago_readout.txt")
FRENCH = read_article("fr_readout.txt")
_TIMINGS = {"latency_ms", "prefill_ms", "decode_ms"}


def _client(tmp_path: Path, engine: Any, **settings: Any) -> TestClient:
    app = create_app(Settings(warmup=False, data_dir=tmp_path, **settings),
                     engine_factory=lambda _: engine)
    return TestClient(app, raise_server_exceptions=False)


def _wait_job(client: TestClient, job_id: str, headers: dict[str, str] | None = None,
              timeout_s: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] not in ("queued", "running"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def _without_timings(brief: dict[str, Any]) -> dict[str, Any]:
    return {**brief, "meta": {k: v for k, v in brief["meta"].items() if k not in _TIMINGS}}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with _client(tmp_path, ScriptedEngine([draft()] * 20)) as client:
        wait_ready(client)
        yield client


def test_a_job_of_several_articles_is_briefed_with_per_item_errors(client: TestClient) -> None:
    items = [{"text": TEXT}, {"text": TEXT, "language": "de"}, {"text": TEXT, "title": "Two"}]
    created = client.post("/v1/jobs", json={"items": items})
    assert created.status_code == 202, created.text
    job_id = created.json()["id"]
    assert created.headers["location"] == f"/v1/jobs/{job_id}"
    assert job_id.startswith("job_") and len(job_id) >= 20
    job = _wait_job(client, job_id)
    assert job["status"] == "done"
    assert job["progress"] == {"total": 3, "queued": 0, "running": 0, "done": 2, "failed": 1,
                               "cancelled": 0, "expired": 0}
    first, failed, third = job["items"]
    assert failed["status"] == "failed" and failed["status_code"] == 422
    assert failed["error"]["code"] == "invalid_input" and "'de'" in failed["error"]["message"]
    plain = client.post("/v1/briefs", json={"text": TEXT}).json()
    assert _without_timings(first["brief"]) == _without_timings(plain)
    assert third["brief"]["headline"] == "Two"
    assert job["finished_at"] >= job["created_at"]
    metrics = client.get("/metrics").text
    assert 'brief_jobs{status="done"} 1.0' in metrics
    assert "brief_job_items_queued 0.0" in metrics
    assert "brief_job_duration_seconds_count 1.0" in metrics


def test_one_article_is_a_job_too_and_a_bad_item_refuses_the_whole_job(
    client: TestClient,
) -> None:
    single = client.post("/v1/jobs", json={"text": TEXT})
    assert single.status_code == 202 and single.json()["items"] == 1
    assert _wait_job(client, single.json()["id"])["status"] == "done"
    bad = client.post("/v1/jobs", json={"items": [{"text": TEXT}, {"text": "  "}]})
    assert bad.status_code == 422 and bad.json()["error"]["message"].startswith("items[1]")
    assert client.post("/v1/jobs", json={"items": []}).status_code == 422
    assert client.post("/v1/jobs", content=b"{", headers={"content-type": "application/json"}
                       ).status_code == 400
    assert client.post("/v1/jobs", content=TEXT.encode(),
                       headers={"content-type": "text/plain"}).status_code == 415
    assert client.get("/v1/jobs/job_nothere").status_code == 404


def test_too_many_items_is_413(tmp_path: Path) -> None:
    with _client(tmp_path, ScriptedEngine(), max_job_items=2) as client:
        wait_ready(client)
        response = client.post("/v1/jobs", json={"items": [{"text": TEXT}] * 3})
    assert response.status_code == 413 and "BRIEF_MAX_JOB_ITEMS" in response.json()["error"]["message"]


def test_jobs_are_listed_newest_first_by_pages(client: TestClient) -> None:
    made = [client.post("/v1/jobs", json={"text": TEXT, "title": f"t{i}"}).json()["id"]
            for i in range(5)]
    seen, cursor = [], None
    while True:
        page = client.get("/v1/jobs", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        assert len(page["jobs"]) <= 2
        seen += [job["id"] for job in page["jobs"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(made))
    assert client.get("/v1/jobs", params={"cursor": "not-a-cursor"}).status_code == 422


def test_the_same_idempotency_key_and_body_is_the_same_job_another_body_is_422(
    client: TestClient,
) -> None:
    key = {"idempotency-key": "feed-item-7"}
    first = client.post("/v1/jobs", json={"text": TEXT}, headers=key)
    again = client.post("/v1/jobs", json={"text": TEXT}, headers=key)
    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    other = client.post("/v1/jobs", json={"text": TEXT, "title": "changed"}, headers=key)
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["error"]["message"]
    assert len(client.get("/v1/jobs").json()["jobs"]) == 1


def test_with_api_keys_a_job_is_its_keys_alone_and_the_key_is_not_stored(tmp_path: Path) -> None:
    with _client(tmp_path, ScriptedEngine([draft()] * 5), api_keys="alpha-key,beta-key") as client:
        wait_ready(client)
        alpha = {"authorization": "Bearer alpha-key"}
        beta = {"authorization": "Bearer beta-key"}
        job_id = client.post("/v1/jobs", json={"text": TEXT}, headers=alpha).json()["id"]
        assert client.post("/v1/jobs", json={"text": TEXT}).status_code == 401
        assert client.get(f"/v1/jobs/{job_id}", headers=beta).status_code == 404
        assert client.delete(f"/v1/jobs/{job_id}", headers=beta).status_code == 404
        assert client.get("/v1/jobs", headers=beta).json()["jobs"] == []
        assert [j["id"] for j in client.get("/v1/jobs", headers=alpha).json()["jobs"]] == [job_id]
        assert _wait_job(client, job_id, alpha)["status"] == "done"
    stored = (tmp_path / "jobs.sqlite3").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("jobs.sqlite3-*"))
    assert b"alpha-key" not in stored
    assert hashlib.sha256(b"alpha-key").hexdigest().encode() in stored


def test_cancel_stops_the_running_item_and_skips_the_rest(tmp_path: Path) -> None:
    release = threading.Event()  # never set: only a cancel ends these briefs
    engine = ScriptedEngine([draft()] * 5, release=release)
    with _client(tmp_path, engine, max_concurrency=1) as client:
        wait_ready(client)
        job_id = client.post("/v1/jobs", json={"items": [{"text": TEXT}] * 3}).json()["id"]
        while not engine.requests:
            time.sleep(0.01)
        cancelled = client.delete(f"/v1/jobs/{job_id}")
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
        deadline = time.monotonic() + 10
        while client.get(f"/v1/jobs/{job_id}").json()["progress"]["running"]:
            assert time.monotonic() < deadline, "the running item went on"
            time.sleep(0.05)
        job = client.get(f"/v1/jobs/{job_id}").json()
    assert [item["status"] for item in job["items"]] == ["cancelled"] * 3
    assert engine.requests[0].cancel is not None and engine.requests[0].cancel.is_set()
    assert len(engine.requests) == 1


@pytest.mark.slow
def test_a_big_job_does_not_starve_an_interactive_brief(tmp_path: Path) -> None:
    engine = ScriptedEngine([draft()] * 30, delay_s=0.4)
    with _client(tmp_path, engine, max_concurrency=1, max_queue=2) as client:
        wait_ready(client)
        job_id = client.post("/v1/jobs", json={"items": [{"text": TEXT}] * 10}).json()["id"]
        while client.get(f"/v1/jobs/{job_id}").json()["progress"]["done"] < 1:
            time.sleep(0.02)
        started = time.monotonic()
        response = client.post("/v1/briefs", json={"text": TEXT})
        waited = time.monotonic() - started
        progress = client.get(f"/v1/jobs/{job_id}").json()["progress"]
        client.delete(f"/v1/jobs/{job_id}")
    assert response.status_code == 200
    # It waited for the item being briefed at most, then went before the job's next ones.
    assert waited < 5 and progress["queued"] >= 5


def test_interactive_overload_is_still_429_while_a_job_runs(tmp_path: Path) -> None:
    release = threading.Event()
    engine = ScriptedEngine([draft()] * 5, release=release)
    with _client(tmp_path, engine, max_concurrency=1, max_queue=0) as client:
        wait_ready(client)
        job_id = client.post("/v1/jobs", json={"items": [{"text": TEXT}] * 2}).json()["id"]
        while not engine.requests:
            time.sleep(0.01)
        busy = client.post("/v1/briefs", json={"text": TEXT})
        release.set()
        assert _wait_job(client, job_id)["status"] == "done"
    assert busy.status_code == 429 and int(busy.headers["retry-after"]) >= 1


@pytest.mark.slow
def test_a_finished_job_is_deleted_after_its_retention(tmp_path: Path) -> None:
    with _client(tmp_path, ScriptedEngine([draft()]), job_retention_h=1 / 3600) as client:
        wait_ready(client)
        job_id = client.post("/v1/jobs", json={"text": TEXT}).json()["id"]
        assert _wait_job(client, job_id)["status"] == "done"
        deadline = time.monotonic() + 15
        while client.get(f"/v1/jobs/{job_id}").status_code == 200:
            assert time.monotonic() < deadline, "the job outlived its retention"
            time.sleep(0.2)
    store = SqliteJobStore(tmp_path / "jobs.sqlite3")
    try:
        assert store._db.execute("SELECT count(*) FROM items").fetchone()[0] == 0
    finally:
        store.close()


def test_the_store_puts_an_interrupted_item_back_and_keeps_the_finished_ones(
    tmp_path: Path,
) -> None:
    store = SqliteJobStore(tmp_path / "jobs.sqlite3")
    job_id, _ = store.create(NewJob("", ['{"text": "a b"}'] * 3, "h"))
    first = store.claim("w", 30)
    assert first is not None
    store.finish(first, '{"id": "brf_1"}', None, "done")
    second = store.claim("w", 30)  # then the process dies
    assert second is not None and second.index == 1
    store._db.close()
    reopened = SqliteJobStore(tmp_path / "jobs.sqlite3")
    try:
        assert reopened.requeue_interrupted() == 1
        again = reopened.claim("w2", 30)
        assert again is not None and again.index == 1 and again.attempt == 2
        view = reopened.get(job_id, "")
        assert view is not None and view.items[0].brief == {"id": "brf_1"}
        assert [i.status for i in view.items] == ["done", "running", "queued"]
        assert reopened._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        reopened.close()


class _Receiver(BaseHTTPRequestHandler):
    """A callback receiver on 127.0.0.1: fails its first call, records the rest."""

    calls: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        type(self).calls.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(500 if len(type(self).calls) == 1 else 204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.slow
def test_a_finished_job_is_told_to_its_callback_signed_and_retried(tmp_path: Path) -> None:
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    url = f"http://localhost:{receiver.server_port}/hook"
    settings = {"allow_callbacks": True, "callback_hosts": "127.0.0.0/8,::1/128",
                "callback_secret": "s3cret"}
    try:
        with _client(tmp_path, ScriptedEngine([draft()]), **settings) as client:
            wait_ready(client)
            refused = client.post("/v1/jobs", json={"text": TEXT,
                                                    "callback_url": "http://example.org/x"})
            assert refused.status_code == 422
            job_id = client.post("/v1/jobs", json={"text": TEXT, "callback_url": url}).json()["id"]
            deadline = time.monotonic() + 30
            while client.get(f"/v1/jobs/{job_id}").json()["callback"] != "delivered":
                assert time.monotonic() < deadline, "the callback was not delivered"
                time.sleep(0.1)
    finally:
        receiver.shutdown()
    assert len(_Receiver.calls) == 2  # the first answered 500, and was retried
    headers, body = _Receiver.calls[-1]
    assert json.loads(body)["id"] == job_id and json.loads(body)["status"] == "done"
    expected = signature(callback_key(b"s3cret", ""), headers["x-brief-timestamp"], url, body)
    assert hmac.compare_digest(headers["x-brief-signature"], expected)


def test_callbacks_are_off_unless_allowed(client: TestClient) -> None:
    response = client.post("/v1/jobs", json={"text": TEXT, "callback_url": "http://127.0.0.1/x"})
    assert response.status_code == 422 and "BRIEF_ALLOW_CALLBACKS" in response.text


def _sender(handler: Any, addresses: list[str], hosts: list[str]) -> CallbackSender:
    async def resolver(host: str, port: int) -> list[str]:
        return addresses

    policy = CallbackPolicy.from_entries(True, hosts, "k")
    return CallbackSender(policy, attempts=3, backoff_s=0.01, resolver=resolver,
                          transport=httpx2.MockTransport(handler))


def test_a_listed_name_that_resolves_inside_the_network_is_refused() -> None:
    """DNS rebinding: a listed host name turned to a private address is not called."""
    import asyncio

    calls: list[Any] = []
    sender = _sender(lambda r: calls.append(r) or httpx2.Response(200), ["10.0.0.5"],
                     ["hooks.example.org"])
    assert asyncio.run(sender.deliver("https://hooks.example.org/x", {"id": "j"}, "")) is False
    public = _sender(lambda r: calls.append(r) or httpx2.Response(200), ["93.184.215.14"],
                     ["hooks.example.org"])
    assert asyncio.run(public.deliver("https://hooks.example.org/x", {"id": "j"}, "")) is True
    assert len(calls) == 1


def test_a_redirect_is_not_followed_and_plain_http_goes_to_the_checked_address() -> None:
    import asyncio

    seen: list[httpx2.Request] = []

    def redirecting(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(302, headers={"location": "http://169.254.169.254/"})

    sender = _sender(redirecting, ["192.0.2.10"], ["192.0.2.0/24"])
    assert asyncio.run(sender.deliver("http://hooks.internal:8080/x", {"id": "j"}, "")) is False
    assert len(seen) == 3  # each attempt called the hook once and went nowhere else
    assert {str(r.url) for r in seen} == {"http://192.0.2.10:8080/x"}
    assert seen[0].headers["host"] == "hooks.internal:8080"


def test_a_failing_callback_is_retried_with_doubling_pauses_until_it_is_answered() -> None:
    """Attempts after 0.1 s, then 0.2 s (backoff doubled), and none after a 2xx; a receiver
    that cannot be reached (OSError) is retried the same way."""
    import asyncio

    times: list[float] = []

    def third_time_lucky(request: httpx2.Request) -> httpx2.Response:
        times.append(time.monotonic())
        if len(times) == 1:
            raise httpx2.ConnectError("connection refused")
        return httpx2.Response(200 if len(times) == 3 else 503)

    policy = CallbackPolicy.from_entries(True, ["192.0.2.0/24"], "k")

    async def resolver(host: str, port: int) -> list[str]:
        return ["192.0.2.10"]

    sender = CallbackSender(policy, attempts=5, backoff_s=0.1, resolver=resolver,
                            transport=httpx2.MockTransport(third_time_lucky))
    assert asyncio.run(sender.deliver("http://hooks.internal/x", {"id": "j"}, "")) is True
    assert len(times) == 3  # answered 2xx at the third: no fourth
    first_pause, second_pause = times[1] - times[0], times[2] - times[1]
    assert 0.1 <= first_pause < 1.0 and second_pause >= 0.2  # pauses are at least these


def test_a_callback_refused_by_the_policy_is_not_retried() -> None:
    import asyncio

    resolved: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        resolved.append(host)
        return ["127.0.0.1"]  # loopback: never allowed for a listed name

    policy = CallbackPolicy.from_entries(True, ["hooks.example.org"], "k")
    sender = CallbackSender(policy, attempts=5, backoff_s=5.0, resolver=resolver,
                            transport=httpx2.MockTransport(lambda r: httpx2.Response(200)))
    started = time.monotonic()
    assert asyncio.run(sender.deliver("https://hooks.example.org/x", {"id": "j"}, "")) is False
    assert resolved == ["hooks.example.org"] and time.monotonic() - started < 2


def test_https_goes_to_the_checked_address_with_the_hosts_name_for_tls() -> None:
    import asyncio

    seen: list[httpx2.Request] = []
    sender = _sender(lambda r: seen.append(r) or httpx2.Response(204), ["93.184.215.14"],
                     ["hooks.example.org"])
    assert asyncio.run(sender.deliver("https://hooks.example.org/in", {"id": "j"}, "")) is True
    assert str(seen[0].url) == "https://93.184.215.14/in"
    assert seen[0].headers["host"] == "hooks.example.org"
    assert seen[0].extensions["sni_hostname"] == "hooks.example.org"


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/x", "http://[::1/x", "http://h:abc/",
                                 "ftp://127.0.0.1/x", "http://user:pw@127.0.0.1/x",
                                 "http://" + "a" * 70 + ".example/x"])
def test_an_unusable_callback_url_is_422_not_500(tmp_path: Path, url: str) -> None:
    settings = {"allow_callbacks": True, "callback_hosts": "127.0.0.0/8",
                "callback_secret": "k"}
    with _client(tmp_path, ScriptedEngine(), **settings) as client:
        wait_ready(client)
        response = client.post("/v1/jobs", json={"text": TEXT, "callback_url": url})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"].startswith("callback_url")


def test_a_forged_cursor_is_422_not_500(client: TestClient) -> None:
    import base64

    forged = base64.urlsafe_b64encode(json.dumps([10**400, "x"]).encode()).decode()
    assert client.get("/v1/jobs", params={"cursor": forged}).status_code == 422


def test_the_running_item_of_a_job_cancelled_before_a_crash_is_not_queued_again(
    tmp_path: Path,
) -> None:
    store = SqliteJobStore(tmp_path / "jobs.sqlite3")
    job_id, _ = store.create(NewJob("", ['{"text": "a b"}'] * 2, "h"))
    assert store.claim("w", 30) is not None
    store.cancel(job_id, "")  # then the process dies with the item still running
    store._db.close()
    reopened = SqliteJobStore(tmp_path / "jobs.sqlite3")
    try:
        assert reopened.requeue_interrupted() == 0
        view = reopened.get(job_id, "")
        assert view is not None and [i.status for i in view.items] == ["cancelled"] * 2
        assert reopened.claim("w2", 30) is None
    finally:
        reopened.close()


@pytest.mark.parametrize("address", ["::ffff:127.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a00:1",
                                     "::ffff:192.168.1.5"])
def test_a_callback_name_resolving_to_loopback_or_a_private_address_in_ipv6_dress_is_refused(
    address: str,
) -> None:
    from service.jobs.callbacks import CallbackPolicy, CallbackRefused

    policy = CallbackPolicy.from_entries(True, ["hooks.example.org"], None)
    with pytest.raises(CallbackRefused):
        policy.check_addresses("hooks.example.org", [address])
    policy.check_addresses("hooks.example.org", ["2001:4860:4860::8888"])  # a global one passes
