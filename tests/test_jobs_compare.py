"""Compare items in jobs (issue 38): an item `{"articles": [...]}` is compared as
`POST /v1/compare` compares, its result is the comparison; it is stored, listed and resumed
after a crash like a brief item. In-process app, scripted engine, texts written for the test:
one phone call told by each of its two sides."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from service.http.app import create_app
from service.jobs.sqlite_store import SqliteJobStore
from service.jobs.store import NewJob
from service.settings import Settings
from tests.conftest import ScriptedEngine, draft, wait_ready

NORTH = (
    "Readout of Foreign Minister Lena Vik's Call with Foreign Minister Omar Haddad\n\n"
    "March 9, 2027\n\n"
    "Foreign Minister Lena Vik of Norway spoke today with Foreign Minister Omar Haddad of "
    "Jordan. The ministers discussed water desalination projects in Aqaba and refugee "
    "schooling. Minister Vik raised the safety of aid convoys. They agreed to meet in Oslo "
    "in May.\n"
)
SOUTH = (
    "Haddad and Vik speak by telephone\n\n"
    "2027-03-09 17:40\n\n"
    "Foreign Minister Omar Haddad held a telephone call on March 9 with Norwegian Foreign "
    "Minister Lena Vik. Haddad welcomed Norway's support for water desalination in Aqaba. "
    "He stressed the need for a ceasefire in the region. The call was warm and friendly.\n"
)
ARTICLE = (
    "Foreign Minister Lena Vik of Norway met Foreign Minister Pia Lund of Sweden in Bergen on "
    "Monday. The pair decided to pool funding for Arctic research. They will meet "
    "again in Uppsala in the autumn.\n"
)
PAIR = {"articles": [{"text": NORTH, "source": "Norway"}, {"text": SOUTH, "source": "Jordan"}]}
_ALIGNED = ("same_event", "same_event_reason", "shared", "only_a", "only_b", "differences")


def _client(tmp_path: Path, outputs: int = 20) -> TestClient:
    engine = ScriptedEngine([draft(key_points=[], agreements=[])] * outputs)
    app = create_app(Settings(warmup=False, data_dir=tmp_path), engine_factory=lambda _: engine)
    return TestClient(app, raise_server_exceptions=False)


def _wait_job(client: TestClient, job_id: str, timeout_s: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] not in ("queued", "running"):
            return dict(job)
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_a_job_of_a_brief_item_and_a_compare_item_runs_both(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        wait_ready(client)
        created = client.post("/v1/jobs", json={"items": [{"text": ARTICLE}, PAIR]})
        assert created.status_code == 202, created.text
        assert created.json()["items"] == 2
        job = _wait_job(client, created.json()["id"])
        plain = client.post("/v1/compare", json=PAIR).json()
        listed = client.get("/v1/jobs").json()["jobs"]
    assert job["status"] == "done" and job["progress"]["done"] == 2
    brief_item, compare_item = job["items"]
    assert "kind" not in brief_item and brief_item["brief"]["event"]["location"] == "Bergen"
    assert compare_item["kind"] == "compare" and "brief" not in compare_item
    comparison = compare_item["comparison"]
    assert comparison["same_event"] is True
    assert [p["name"] for p in comparison["a"]["participants"]] == ["Lena Vik", "Omar Haddad"]
    assert {p["name"] for p in comparison["b"]["participants"]} == {"Omar Haddad", "Lena Vik"}
    # The very answer POST /v1/compare gives for the same pair (timings aside).
    assert {k: comparison[k] for k in _ALIGNED} == {k: plain[k] for k in _ALIGNED}
    assert comparison["shared"], "both sides report the desalination in Aqaba"
    assert [(j["id"], j["items"]) for j in listed] == [(job["id"], 2)]


def test_a_compare_body_alone_is_a_job_of_one_compare_item(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        wait_ready(client)
        created = client.post("/v1/jobs", json={**PAIR, "callback_url": None})
        assert created.status_code == 202, created.text
        job = _wait_job(client, created.json()["id"])
    assert [item["kind"] for item in job["items"]] == ["compare"]
    assert job["items"][0]["comparison"]["same_event"] is True


def test_a_bad_compare_item_refuses_the_job_naming_the_item_and_its_article(
    tmp_path: Path,
) -> None:
    with _client(tmp_path) as client:
        wait_ready(client)
        one = client.post("/v1/jobs", json={"items": [{"text": ARTICLE},
                                                      {"articles": [{"text": NORTH}]}]})
        empty = client.post("/v1/jobs", json={"items": [
            {"articles": [{"text": NORTH}, {"text": "  "}]}]})
        extra = client.post("/v1/jobs", json={"items": [{**PAIR, "title": "x"}]})
        listed = client.get("/v1/jobs").json()["jobs"]
    assert one.status_code == 422
    assert one.json()["error"]["message"].startswith("items[1].articles: send 2 to 4")
    assert empty.status_code == 422
    assert empty.json()["error"]["message"].startswith("items[0].articles[1]")
    assert extra.status_code == 422 and "'title'" in extra.json()["error"]["message"]
    assert listed == []  # nothing of a refused job is stored


def test_a_compare_item_interrupted_by_a_crash_is_compared_after_the_restart(
    tmp_path: Path,
) -> None:
    store = SqliteJobStore(tmp_path / "jobs.sqlite3")
    job_id, _ = store.create(NewJob("", [json.dumps(PAIR)], "h", kinds=("compare",)))
    claimed = store.claim("a-replica-that-dies", 30)
    assert claimed is not None and json.loads(claimed.request) == PAIR
    store._db.close()  # the process dies with the item running
    with _client(tmp_path) as client:  # the next start puts it back and compares it
        wait_ready(client)
        job = _wait_job(client, job_id)
    item = job["items"][0]
    assert job["status"] == "done" and item["kind"] == "compare"
    assert item["comparison"]["same_event"] is True
    assert item["comparison"]["b"]["event"]["type"] == "call"
