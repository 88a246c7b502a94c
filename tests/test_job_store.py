"""The job store's contract, run against both stores (SQLite and PostgreSQL) by one
parametrised suite: leases (a lost lease writes nothing, an expired one is claimed again),
claims never shared between workers or replicas, round-robin across keys, the caps on
waiting items, expiry, housekeeping, callbacks leased to one worker, versioned migrations
that stores opening together do not race."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from service.errors import InputTooLarge, JobQueueFull, StorageFull
from service.jobs.postgres_store import PostgresJobStore
from service.jobs.sql_store import HOUSEKEEPING_LOCK, SqlJobStore
from service.jobs.sqlite_store import MIGRATIONS as SQLITE_MIGRATIONS
from service.jobs.sqlite_store import SqliteJobStore
from service.jobs.store import NewJob, QueueLimits, open_job_store

REQUEST = '{"text": "Two ministers met and agreed to talk again."}'
Opener = Callable[..., SqlJobStore]


@pytest.fixture(params=["sqlite", "postgresql"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens a store on one database shared by every store the test opens (a replica
    each, on PostgreSQL; processes on one file, on SQLite)."""
    opened: list[SqlJobStore] = []
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")

    def open_store(limits: QueueLimits | None = None) -> SqlJobStore:
        store = open_job_store(url, tmp_path, limits or QueueLimits())
        assert isinstance(store, SqlJobStore)
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.close()


def _job(owner: str = "", items: int = 1, **extra: Any) -> NewJob:
    return NewJob(owner, [REQUEST] * items, f"sha-{owner}-{items}", **extra)


def test_a_job_is_created_read_listed_and_cancelled_from_another_store(opener: Opener) -> None:
    one, two = opener(), opener()
    job_id, created = one.create(_job("alice", 3, idempotency_key="k1"))
    assert created
    again, created_again = two.create(_job("alice", 3, idempotency_key="k1"))
    assert (again, created_again) == (job_id, False)
    view = two.get(job_id, "alice")
    assert view is not None and [i.status for i in view.items] == ["queued"] * 3
    assert two.get(job_id, "bob") is None
    listed, cursor = two.list_jobs("alice", 10, None)
    assert [j.id for j in listed] == [job_id] and cursor is None
    cancelled = two.cancel(job_id, "alice")
    assert cancelled is not None and cancelled.status == "cancelled"
    assert one.stopped_jobs([job_id]) == {job_id}
    assert one.claim("w1", 30) is None


def test_a_lost_lease_writes_nothing_and_an_expired_one_is_claimed_again(
    opener: Opener,
) -> None:
    a, b = opener(), opener()
    job_id, _ = a.create(_job("", 2))
    first = a.claim("replica-a", 0.3)
    assert first is not None and (first.index, first.attempt) == (0, 1)
    other = b.claim("replica-b", 30)
    assert other is not None and other.index == 1  # never the item leased to a
    time.sleep(0.5)  # a stalls past its lease
    retaken = b.claim("replica-b", 30)
    assert retaken is not None and (retaken.index, retaken.attempt) == (0, 2)
    assert a.renew([first], 30) == [first]  # a learns it lost the item
    assert a.finish(first, '{"by": "a"}', None, "done") is None
    assert b.finish(retaken, '{"by": "b"}', None, "done") == "running"
    assert b.finish(other, '{"by": "b"}', None, "done") == "done"
    view = a.get_any(job_id)
    assert view is not None and [i.brief for i in view.items] == [{"by": "b"}] * 2
    assert a.finish(first, '{"by": "a"}', None, "done") is None  # still nothing


def test_a_renewed_lease_is_not_taken(opener: Opener) -> None:
    a, b = opener(), opener()
    a.create(_job("", 1))
    claim = a.claim("replica-a", 1.5)
    assert claim is not None
    for _ in range(4):  # held 2 s in all, past the first lease
        time.sleep(0.5)
        assert a.renew([claim], 1.5) == []
        assert b.claim("replica-b", 30) is None


def test_a_released_item_is_claimed_at_once_by_another_and_the_old_claim_writes_nothing(
    opener: Opener,
) -> None:
    a, b = opener(), opener()
    job_id, _ = a.create(_job("", 1))
    claim = a.claim("replica-a", 30)
    assert claim is not None
    a.release([claim])  # replica a shuts down
    again = b.claim("replica-b", 30)
    assert again is not None and (again.index, again.attempt) == (0, 2)
    a.release([claim])  # a second release of the old claim changes nothing
    assert a.finish(claim, '{"by": "a"}', None, "done") is None
    assert b.finish(again, '{"by": "b"}', None, "done") == "done"
    view = a.get_any(job_id)
    assert view is not None and view.items[0].brief == {"by": "b"}


def test_two_replicas_claiming_at_once_never_share_an_item(opener: Opener) -> None:
    stores = [opener(), opener()]
    job_id, _ = stores[0].create(_job("", 40))
    taken: list[tuple[str, int]] = []
    lock = threading.Lock()

    def work(store: SqlJobStore, name: str) -> None:
        while (claim := store.claim(name, 30)) is not None:
            with lock:
                taken.append((name, claim.index))
            assert store.finish(claim, json.dumps({"by": name}), None, "done") is not None

    threads = [threading.Thread(target=work, args=(store, f"w{i}{j}"))
               for i, store in enumerate(stores) for j in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(index for _, index in taken) == list(range(40))
    view = stores[1].get_any(job_id)
    assert view is not None and view.status == "done"
    assert all(item.brief is not None for item in view.items)


def test_a_cancel_among_busy_replicas_leaves_every_item_done_or_cancelled(
    opener: Opener,
) -> None:
    stores = [opener(), opener(), opener()]
    job_id, _ = stores[0].create(_job("", 30))
    errors: list[BaseException] = []
    finished = threading.Event()

    def work(store: SqlJobStore, name: str) -> None:
        try:
            while (claim := store.claim(name, 30)) is not None:
                time.sleep(0.01)  # an item takes a while: the cancel comes while some still run
                if claim.index >= 10:
                    # However slowly the canceller is scheduled, it cancels while items run.
                    finished.wait(30)
                stopped = store.stopped_jobs([job_id])
                store.finish(claim, None if stopped else "{}", None,
                             "cancelled" if stopped else "done")
        except BaseException as exc:  # reported below
            errors.append(exc)

    def cancel() -> None:
        try:
            while stores[2].get_any(job_id).items[3].status != "done":  # type: ignore[union-attr]
                time.sleep(0.001)
            stores[2].cancel(job_id, "")
        except BaseException as exc:
            errors.append(exc)
        finished.set()

    threads = [threading.Thread(target=work, args=(store, f"w{i}{j}"))
               for i, store in enumerate(stores[:2]) for j in range(2)]
    threads.append(threading.Thread(target=cancel))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    view = stores[1].get_any(job_id)
    assert view is not None and view.status == "cancelled"
    statuses = {item.status for item in view.items}
    assert statuses <= {"done", "cancelled"} and "done" in statuses


def test_items_are_claimed_round_robin_across_keys(opener: Opener) -> None:
    store = opener()
    owner_of = {store.create(_job(owner, items))[0]: owner
                for owner, items in (("alice", 4), ("bob", 2), ("carol", 1))}
    owners = []
    while (claim := store.claim("w", 30)) is not None:
        owners.append(owner_of[claim.job_id])
        store.finish(claim, "{}", None, "done")
    assert owners == ["alice", "bob", "carol", "alice", "bob", "alice", "alice"]


def test_waiting_items_are_capped_per_key_and_in_all_with_retry_after(opener: Opener) -> None:
    store = opener(QueueLimits(per_key=5, total=8, retry_after_s=42))
    store.create(_job("alice", 4))
    with pytest.raises(JobQueueFull) as per_key:
        store.create(_job("alice", 2))
    assert per_key.value.status == 429 and per_key.value.headers == {"Retry-After": "42"}
    assert "BRIEF_MAX_QUEUED_ITEMS_PER_KEY" in per_key.value.message
    store.create(_job("bob", 4))
    with pytest.raises(JobQueueFull) as total:
        store.create(_job("carol", 1))
    assert "BRIEF_MAX_QUEUED_ITEMS" in total.value.message
    claim = store.claim("w", 30)
    assert claim is not None
    store.finish(claim, "{}", None, "done")  # one briefed: room for one more
    store.create(_job("carol", 1))
    listed, _ = store.list_jobs("carol", 5, None)
    assert len(listed) == 1
    with pytest.raises(InputTooLarge, match="more than may ever wait"):  # never fits: 413
        store.create(_job("dave", 6))


def test_queued_jobs_expire_and_finished_ones_are_purged(opener: Opener) -> None:
    store = opener()
    old, _ = store.create(_job("", 2, callback_url="http://hooks.example/x"))
    time.sleep(0.05)
    cutoff = time.time()
    fresh, _ = store.create(_job("", 1))
    assert store.housekeep(finished_before=0, queued_before=cutoff) == (0, 1)
    view = store.get_any(old)
    assert view is not None and view.status == "expired" and view.finished_at is not None
    assert [i.status for i in view.items] == ["expired", "expired"]
    assert view.callback_state == "pending"
    waiting = store.get_any(fresh)
    assert waiting is not None and waiting.status == "queued"
    assert store.housekeep(finished_before=time.time() + 1, queued_before=0) == (1, 0)
    assert store.get_any(old) is None and store.get_any(fresh) is not None


def test_a_job_with_an_item_running_expires_when_that_item_ends(opener: Opener) -> None:
    store = opener()
    job_id, _ = store.create(_job("", 3, callback_url="http://hooks.example/x"))
    claim = store.claim("w", 30)
    assert claim is not None
    assert store.housekeep(finished_before=0, queued_before=time.time() + 1) == (0, 0)
    view = store.get_any(job_id)
    assert view is not None and [i.status for i in view.items] == [
        "running", "expired", "expired"]
    assert store.finish(claim, "{}", None, "done") == "expired"
    callbacks = store.claim_callbacks("w", 30, 10)
    assert [c.payload["status"] for c in callbacks] == ["expired"]
    assert callbacks[0].payload["items"]["expired"] == 2


def test_a_callback_is_leased_to_one_worker_and_counted_without_the_briefs(
    opener: Opener,
) -> None:
    a, b = opener(), opener()
    job_id, _ = a.create(_job("alice", 2, callback_url="http://hooks.example/in"))
    for _ in range(2):
        claim = a.claim("w", 30)
        assert claim is not None
        a.finish(claim, '{"headline": "x"}', None, "done")
    mine = a.claim_callbacks("replica-a", 0.3, 5)
    assert [(c.job_id, c.owner, c.url) for c in mine] == [
        (job_id, "alice", "http://hooks.example/in")]
    assert mine[0].payload["status"] == "done"
    assert mine[0].payload["items"] == {"total": 2, "queued": 0, "running": 0, "done": 2,
                                        "failed": 0, "cancelled": 0, "expired": 0}
    assert b.claim_callbacks("replica-b", 30, 5) == []
    time.sleep(0.5)  # replica a died mid-delivery
    again = b.claim_callbacks("replica-b", 30, 5)
    assert [c.job_id for c in again] == [job_id]
    a.callback_done(job_id, "replica-a", delivered=False)  # too late: b holds it
    view = b.get_any(job_id)
    assert view is not None and view.callback_state == "delivering"
    b.callback_done(job_id, "replica-b", delivered=True)
    view = b.get_any(job_id)
    assert view is not None and view.callback_state == "delivered"
    assert a.claim_callbacks("replica-a", 30, 5) == []


def test_stores_opening_together_on_a_new_database_migrate_it_once(opener: Opener) -> None:
    errors: list[BaseException] = []
    stores: list[SqlJobStore] = []
    lock = threading.Lock()

    def open_one() -> None:
        try:
            store = opener()
            with lock:
                stores.append(store)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    job_id, _ = stores[0].create(_job("", 1))
    assert all(store.get_any(job_id) is not None for store in stores)


def test_sqlite_a_version_1_file_is_migrated_keeping_its_jobs(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(SQLITE_MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    old.execute("INSERT INTO jobs (id, owner, status, created_at, updated_at, items, "
                "body_sha256) VALUES ('job_old', '', 'queued', 1, 1, 1, 'h')")
    old.execute("INSERT INTO items (job_id, idx, status, request) VALUES "
                "('job_old', 0, 'queued', ?)", (REQUEST,))
    old.commit()
    old.close()
    store = SqliteJobStore(path)
    try:
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == len(SQLITE_MIGRATIONS)
        claim = store.claim("w", 30)
        assert claim is not None and (claim.job_id, claim.attempt) == ("job_old", 1)
        assert store.finish(claim, "{}", None, "done") == "done"
    finally:
        store.close()


def test_sqlite_a_full_disk_is_a_507_error_and_the_store_still_reads(tmp_path: Path) -> None:
    store = SqliteJobStore(tmp_path / "jobs.sqlite3")
    try:
        kept, _ = store.create(_job("", 1))
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")  # no page more: "disk full"
        with pytest.raises(StorageFull) as full:
            store.create(NewJob("", ["x" * 20_000] * 20, "big"))
        assert full.value.status == 507 and "full" in full.value.message
        assert store.get_any(kept) is not None
        assert len(store.list_jobs("", 10, None)[0]) == 1
    finally:
        store.close()


def test_postgresql_housekeeping_runs_on_one_replica_at_a_time(postgres_url: str) -> None:
    store = PostgresJobStore(postgres_url)
    try:
        with psycopg.connect(postgres_url) as other:  # another replica is at it
            other.execute("SELECT pg_advisory_xact_lock(%s)", (HOUSEKEEPING_LOCK,))
            assert store.housekeep(finished_before=0, queued_before=0) is None
        assert store.housekeep(finished_before=0, queued_before=0) == (0, 0)
    finally:
        store.close()


def test_postgresql_a_store_that_stops_answering_is_a_503_error_not_a_hang(
    postgres_server: str,
) -> None:
    from service.errors import StoreUnavailable
    from tests.postgres import fresh_database

    with fresh_database(postgres_server) as url:
        store = PostgresJobStore(url, connect_timeout_s=2)
        job_id, _ = store.create(_job("", 1))
    # The database is gone (dropped, its connections ended): an outage as a replica sees it.
    started = time.monotonic()
    try:
        for operation in (lambda: store.get_any(job_id), lambda: store.claim("w", 30)):
            with pytest.raises(StoreUnavailable) as failed:
                operation()
            assert failed.value.status == 503 and "retry later" in failed.value.message
    finally:
        store.close()
    assert time.monotonic() - started < 20


def test_postgresql_an_unreachable_server_is_a_clear_error_without_the_password() -> None:
    from service.jobs.store import JobStoreUnavailable

    with pytest.raises(JobStoreUnavailable) as failed:
        PostgresJobStore("postgresql://brief:hunter2@127.0.0.1:1/jobs", connect_timeout_s=2)
    assert "127.0.0.1" in str(failed.value) and "hunter2" not in str(failed.value)


def test_an_unknown_store_url_is_refused() -> None:
    with pytest.raises(ValueError, match="BRIEF_JOBS_URL"):
        open_job_store("mysql://x/y", Path("."), QueueLimits())


def test_sqlite_many_stores_opening_one_new_file_together_all_open(tmp_path: Path) -> None:
    # Switching a new file to write-ahead logging takes a lock SQLite will not wait for;
    # eight at once, twenty times over, used to fail one open in sixty or so.
    errors: list[BaseException] = []

    def open_one(path: Path) -> None:
        try:
            SqliteJobStore(path)
        except BaseException as exc:  # reported below
            errors.append(exc)

    for round_ in range(20):
        path = tmp_path / f"jobs-{round_}.sqlite3"
        threads = [threading.Thread(target=open_one, args=(path,)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert not errors, errors
