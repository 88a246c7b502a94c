"""The embedded job store: SQLite in WAL mode (readers never wait for the writer), one
connection used under a lock; every operation is a few milliseconds. For one machine: its
file is one replica's (`requeue_interrupted` at start-up takes every running item back).

Every write is a `BEGIN IMMEDIATE` transaction, which holds SQLite's write lock from its
start: claims, caps and housekeeping need no further lock, even with several processes on
one file. The schema is migrated by `PRAGMA user_version` inside such a transaction, so
processes starting together cannot race: each entry of MIGRATIONS runs once, in order."""

from __future__ import annotations

import errno
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from service.errors import StorageFull
from service.jobs.sql_store import Sql, SqlJobStore
from service.jobs.store import QueueLimits

MIGRATIONS: list[str] = [
    # 1: jobs and their items.
    """
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        finished_at REAL,
        items INTEGER NOT NULL,
        idempotency_key TEXT,
        body_sha256 TEXT NOT NULL,
        callback_url TEXT,
        callback_state TEXT
    );
    CREATE UNIQUE INDEX jobs_idempotency ON jobs(owner, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
    CREATE INDEX jobs_by_owner ON jobs(owner, created_at DESC, id DESC);
    CREATE INDEX jobs_finished ON jobs(finished_at) WHERE finished_at IS NOT NULL;
    CREATE TABLE items (
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        status TEXT NOT NULL,
        request TEXT NOT NULL,
        brief TEXT,
        error TEXT,
        started_at REAL,
        finished_at REAL,
        PRIMARY KEY (job_id, idx)
    );
    CREATE INDEX items_by_status ON items(status);
    """,
    # 2: leases on items and on callbacks; each owner's last turn (round-robin).
    """
    ALTER TABLE items ADD COLUMN claimed_by TEXT;
    ALTER TABLE items ADD COLUMN lease_until REAL;
    ALTER TABLE items ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN callback_claimed_by TEXT;
    ALTER TABLE jobs ADD COLUMN callback_lease_until REAL;
    CREATE INDEX jobs_waiting ON jobs(status, created_at);
    CREATE INDEX jobs_callbacks ON jobs(callback_state)
        WHERE callback_state IN ('pending', 'delivering');
    CREATE TABLE owner_turns (owner TEXT PRIMARY KEY, served_at REAL NOT NULL);
    """,
    # 3: an item may be a comparison of articles as well as one article's brief.
    """
    ALTER TABLE items ADD COLUMN kind TEXT NOT NULL DEFAULT 'brief';
    """,
]


def _full(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
    return isinstance(exc, OSError) and exc.errno == errno.ENOSPC


# How long a connection waits for another's lock on the file before it gives up.
_LOCK_WAIT_S = 30


class SqliteJobStore(SqlJobStore):
    def __init__(self, path: Path, limits: QueueLimits | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.limits = limits or QueueLimits()
        self._mutex = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                                   timeout=_LOCK_WAIT_S)
        self._db.row_factory = sqlite3.Row
        self._into_wal()
        # FULL: a job answered 202 is on disk even after a power cut, not only a crash.
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def _into_wal(self) -> None:
        """Switch the file to write-ahead logging. Several processes opening a new file at
        once contend for the lock the switch needs, and SQLite answers "database is locked"
        at once, without its busy wait, where waiting could deadlock: so wait here, a few
        milliseconds at a time, up to the connection's own timeout."""
        deadline = time.monotonic() + _LOCK_WAIT_S
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01 + random.random() * 0.04)

    def _migrate(self) -> None:
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _write(self) -> Iterator[Sql]:
        with self._mutex:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    # SQLite has already rolled back after some errors (a full disk).
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except (sqlite3.Error, OSError) as exc:
                if self._db.in_transaction:  # a COMMIT that failed
                    self._db.execute("ROLLBACK")
                if _full(exc):
                    raise StorageFull(f"the job store {self.path} is full: its disk (or "
                                      "SQLite's page limit) has no room left") from exc
                raise

    @contextmanager
    def _read(self) -> Iterator[Sql]:
        with self._mutex:
            yield self._db

    def _now(self, db: Sql) -> float:
        return time.time()

    def _lock(self, db: Sql, name: int) -> None:
        """BEGIN IMMEDIATE holds SQLite's one write lock already."""

    def _try_lock(self, db: Sql, name: int) -> bool:
        return True

    def requeue_interrupted(self) -> int:
        with self._write() as db:
            now = time.time()
            # The running item of a job cancelled meanwhile is cancelled, not queued again.
            db.execute("UPDATE items SET status = 'cancelled', finished_at = ?, "
                       "claimed_by = NULL WHERE status = 'running' AND job_id IN "
                       "(SELECT id FROM jobs WHERE status = 'cancelled')", (now,))
            return int(db.execute(
                "UPDATE items SET status = 'queued', started_at = NULL, claimed_by = NULL, "
                "lease_until = NULL WHERE status = 'running'").rowcount)

    def close(self) -> None:
        with self._mutex:
            self._db.close()
