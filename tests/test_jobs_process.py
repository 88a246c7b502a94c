"""A job accepted with 202 is never lost: `kill -9` of a real server process (tiny model) in
the middle of a job, then a restart on the same data dir, finishes it; the items briefed
before the kill keep their briefs, the interrupted one is briefed again."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import read_article
from tests.test_server_process import Server

pytestmark = pytest.mark.server_process
ITEMS = 12


def _job(server: Server, job_id: str) -> dict[str, Any]:
    return dict(httpx.get(f"{server.url}/v1/jobs/{job_id}", timeout=10).json())


def test_kill_9_in_the_middle_of_a_job_then_a_restart_finishes_it(
    tiny_model_dir: Path, tmp_path: Path,
) -> None:
    text = read_article("santiago_readout.txt")
    server = Server(tiny_model_dir, tmp_path / "server.log")
    server.env["BRIEF_DATA_DIR"] = str(tmp_path / "data")
    server.start()
    try:
        items = [{"text": text, "title": f"Item {i}"} for i in range(ITEMS)]
        created = httpx.post(f"{server.url}/v1/jobs", json={"items": items}, timeout=30)
        assert created.status_code == 202
        job_id = created.json()["id"]
        deadline = time.monotonic() + 120
        while _job(server, job_id)["progress"]["done"] < 2:
            assert time.monotonic() < deadline, "the job made no progress"
            time.sleep(0.05)
        assert server.process is not None
        server.process.kill()  # kill -9, mid-job
        server.process.wait(10)
        killed_at = time.time()
        server.start()  # same data dir, same port
        before = _job(server, job_id)
        kept = {item["index"]: item["brief"] for item in before["items"]
                if item["status"] == "done"}
        assert len(kept) >= 2 and before["progress"]["running"] <= 1
        deadline = time.monotonic() + 300
        while (after := _job(server, job_id))["status"] in ("queued", "running"):
            assert time.monotonic() < deadline, "the job did not finish after the restart"
            time.sleep(0.2)
    finally:
        server.stop()
    assert after["status"] == "done"
    assert after["progress"]["done"] == ITEMS
    headlines = [item["brief"]["headline"] for item in after["items"]]
    assert headlines == [f"Item {i}" for i in range(ITEMS)]
    for index, brief in kept.items():  # briefed before the kill: the very same brief, kept
        assert after["items"][index]["brief"] == brief
    assert after["finished_at"] is not None and after["created_at"] < after["finished_at"]
    print(f"kill -9 with {len(kept)} of {ITEMS} items done; {ITEMS - len(kept)} briefed "
          f"after the restart, {time.time() - killed_at:.1f} s from the kill to the end")
