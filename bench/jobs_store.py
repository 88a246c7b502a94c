"""The job store's cost and how one job scales with replicas, on SQLite and PostgreSQL.

    python bench/jobs_store.py                       # starts a throwaway PostgreSQL itself
    python bench/jobs_store.py --postgres postgresql://user@127.0.0.1:5432/db

1. Overhead per item: one job of --items items, claimed and finished one after the other by
   one worker (a brief of about 3 KB written for each): the store's milliseconds per item,
   which a brief (seconds) never notices.
2. Throughput of one job with one replica and with two: each replica is a store of its own
   (its own connections) with --workers workers; each item's brief is a call to one shared
   model server simulated as --server-slots parallel slots of --brief-s seconds each (as a
   llama.cpp server started with `--parallel`). One replica fills --workers slots; two fill
   twice as many, up to the server's.

SQLite is one machine's store: "two replicas" on it are two processes' connections to one
file. Timings depend on the machine and its load: compare rows of one run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.jobs.store import JobStore, NewJob, QueueLimits, open_job_store

REQUEST = json.dumps({"text": "The two foreign ministers met in Lisbon on Monday. " * 40})
BRIEF = json.dumps({"headline": "Ministers meet", "summary": "x" * 2500, "key_points": []})
LIMITS = QueueLimits(per_key=1_000_000, total=1_000_000)


@contextlib.contextmanager
def postgres(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    script = Path(__file__).resolve().parents[1] / "scripts" / "postgres-test-cluster"
    out = subprocess.run([str(script), "start"], capture_output=True, text=True, check=True)
    exports = dict(line.removeprefix("export ").split("=", 1) for line in out.stdout.splitlines())
    try:
        yield exports["BRIEF_TEST_POSTGRES_URL"]
    finally:
        subprocess.run([str(script), "stop", exports["BRIEF_TEST_POSTGRES_DIR"]], check=False)


def overhead(opener: Callable[[], JobStore], items: int) -> tuple[float, float]:
    """(ms to create a job, per item; ms to claim and finish an item)."""
    store = opener()
    try:
        started = time.perf_counter()
        store.create(NewJob("bench", [REQUEST] * items, f"overhead-{time.time()}"))
        create_ms = (time.perf_counter() - started) * 1000 / items
        started = time.perf_counter()
        while (claim := store.claim("bench-worker", 30)) is not None:
            store.finish(claim, BRIEF, None, "done")
        return create_ms, (time.perf_counter() - started) * 1000 / items
    finally:
        store.close()


def throughput(opener: Callable[[], JobStore], replicas: int, workers: int, items: int,
               brief_s: float, server_slots: int) -> float:
    """Items a second over one job of `items`."""
    stores = [opener() for _ in range(replicas)]
    model_server = threading.Semaphore(server_slots)
    try:
        stores[0].create(NewJob("bench", [REQUEST] * items, f"throughput-{time.time()}"))

        def work(store: JobStore, name: str) -> None:
            while (claim := store.claim(name, 30)) is not None:
                with model_server:
                    time.sleep(brief_s)
                store.finish(claim, BRIEF, None, "done")

        threads = [threading.Thread(target=work, args=(store, f"r{r}-w{w}"))
                   for r, store in enumerate(stores) for w in range(workers)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return items / (time.perf_counter() - started)
    finally:
        for store in stores:
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("BRIEF_TEST_POSTGRES_URL"))
    parser.add_argument("--items", type=int, default=500, help="items of the overhead job")
    parser.add_argument("--job-items", type=int, default=60, help="items of the timed job")
    parser.add_argument("--workers", type=int, default=2, help="workers per replica")
    parser.add_argument("--brief-s", type=float, default=0.25, help="one simulated brief")
    parser.add_argument("--server-slots", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, postgres(args.postgres) as pg_url:
        sqlite_url = f"sqlite:///{Path(folder) / 'jobs.sqlite3'}"
        for name, url in (("sqlite", sqlite_url), ("postgresql", pg_url)):
            def opener(url: str = url) -> JobStore:
                return open_job_store(url, Path(folder), LIMITS)

            create_ms, item_ms = overhead(opener, args.items)
            print(f"{name:10} overhead: create {create_ms:.2f} ms/item, claim+finish "
                  f"{item_ms:.2f} ms/item ({args.items} items, one worker)", flush=True)
            for replicas in (1, 2):
                rate = throughput(opener, replicas, args.workers, args.job_items, args.brief_s,
                                  args.server_slots)
                print(f"{name:10} {replicas} replica(s) x {args.workers} workers: "
                      f"{rate:.2f} items/s (one job of {args.job_items}, {args.brief_s} s a "
                      f"brief, {args.server_slots} server slots; ideal "
                      f"{min(replicas * args.workers, args.server_slots) / args.brief_s:.2f})",
                      flush=True)


if __name__ == "__main__":
    main()
