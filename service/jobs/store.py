"""Where brief jobs live: the `JobStore` interface and its SQLite implementation.

A job is accepted only once it is written here, so a job answered with 202 survives a crash:
at start-up an item left `running` by a killed process goes back to `queued` and is briefed
again, while items already briefed keep their briefs. The interface is small so a server
database (PostgreSQL, shared by several API replicas) can replace SQLite; only SQLite exists
today, so jobs live on the replica that took them.

SQLite runs in WAL mode (readers never wait for the writer) with one connection per store,
used under a lock: every operation is a few milliseconds. The schema is created and migrated
here, by `PRAGMA user_version`: each entry of MIGRATIONS runs once, in order."""

from __future__ import annotations

import base64
import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
TERMINAL: frozenset[str] = frozenset({"done", "failed", "cancelled"})

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
]


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different body."""


@dataclass(frozen=True)
class NewJob:
    owner: str
    """Whose job it is: a hash of the API key that created it ("" without keys)."""
    requests: list[str]
    """Each article's request, as JSON (what `POST /v1/briefs` would take)."""
    body_sha256: str
    idempotency_key: str | None = None
    callback_url: str | None = None


@dataclass(frozen=True)
class ItemView:
    index: int
    status: str
    brief: dict[str, Any] | None
    error: dict[str, Any] | None


@dataclass(frozen=True)
class JobView:
    id: str
    status: str
    created_at: float
    updated_at: float
    finished_at: float | None
    items: list[ItemView]
    callback_url: str | None
    callback_state: str | None

    def counts(self) -> dict[str, int]:
        counts = {"total": len(self.items), "queued": 0, "running": 0, "done": 0, "failed": 0,
                  "cancelled": 0}
        for item in self.items:
            counts[item.status] += 1
        return counts


@dataclass(frozen=True)
class JobSummary:
    id: str
    status: str
    created_at: float
    finished_at: float | None
    items: int


@dataclass(frozen=True)
class Claim:
    """An item taken for briefing: it is `running` until finished or put back."""

    job_id: str
    index: int
    request: str


class JobStore(Protocol):
    def create(self, job: NewJob) -> tuple[str, bool]:
        """The job's id, and False when the idempotency key named an existing job."""
        ...

    def get(self, job_id: str, owner: str) -> JobView | None:
        """The job, if it exists and is `owner`'s (None otherwise: another key's job is not
        told apart from a missing one)."""
        ...

    def get_any(self, job_id: str) -> JobView | None:
        """The job whoever owns it (for the service itself)."""
        ...

    def list_jobs(self, owner: str, limit: int, cursor: str | None) -> tuple[list[JobSummary],
                                                                       str | None]: ...

    def cancel(self, job_id: str, owner: str) -> JobView | None: ...

    def claim(self) -> Claim | None:
        """The next queued item of the oldest unfinished job, now marked running."""
        ...

    def finish(self, claim: Claim, brief: str | None, error: dict[str, Any] | None,
               status: str) -> str:
        """Records an item's outcome; returns its job's status after it."""
        ...

    def requeue_interrupted(self) -> int:
        """Items left running by a process that died go back to the queue (at start-up)."""
        ...

    def purge(self, finished_before: float) -> int: ...

    def job_counts(self) -> dict[str, int]: ...

    def queued_items(self) -> int: ...

    def pending_callbacks(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(job id, callback URL, the job's final status payload) of jobs to tell."""
        ...

    def callback_done(self, job_id: str, delivered: bool) -> None: ...

    def close(self) -> None: ...


def new_job_id() -> str:
    """Random, 128 bits: not guessable, not sequential."""
    return "job_" + secrets.token_urlsafe(16)


def _encode_cursor(created_at: float, job_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([created_at, job_id]).encode()).decode()


def decode_cursor(cursor: str) -> tuple[float, str]:
    """ValueError when the cursor is not one this store gave out."""
    try:
        created_at, job_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return float(created_at), str(job_id)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError("not a cursor from GET /v1/jobs") from exc


class SqliteJobStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                                   timeout=30)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: a job answered 202 is on disk even after a power cut, not only a crash.
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def _migrate(self) -> None:
        with self._transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def create(self, job: NewJob) -> tuple[str, bool]:
        now = time.time()
        with self._transaction() as db:
            if job.idempotency_key is not None:
                row = db.execute(
                    "SELECT id, body_sha256 FROM jobs WHERE owner = ? AND idempotency_key = ?",
                    (job.owner, job.idempotency_key)).fetchone()
                if row is not None:
                    if row["body_sha256"] != job.body_sha256:
                        raise IdempotencyConflict(job.idempotency_key)
                    return str(row["id"]), False
            job_id = new_job_id()
            db.execute(
                "INSERT INTO jobs (id, owner, status, created_at, updated_at, items, "
                "idempotency_key, body_sha256, callback_url) VALUES (?, ?, 'queued', ?, ?, ?, "
                "?, ?, ?)",
                (job_id, job.owner, now, now, len(job.requests), job.idempotency_key,
                 job.body_sha256, job.callback_url))
            db.executemany(
                "INSERT INTO items (job_id, idx, status, request) VALUES (?, ?, 'queued', ?)",
                [(job_id, i, request) for i, request in enumerate(job.requests)])
        return job_id, True

    def get(self, job_id: str, owner: str) -> JobView | None:
        with self._lock:
            return self._view(job_id, owner)

    def get_any(self, job_id: str) -> JobView | None:
        with self._lock:
            return self._view(job_id, None)

    def _view(self, job_id: str, owner: str | None) -> JobView | None:
        row = self._db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None or (owner is not None and row["owner"] != owner):
            return None
        items = [
            ItemView(r["idx"], r["status"], json.loads(r["brief"]) if r["brief"] else None,
                     json.loads(r["error"]) if r["error"] else None)
            for r in self._db.execute(
                "SELECT idx, status, brief, error FROM items WHERE job_id = ? ORDER BY idx",
                (job_id,))
        ]
        return JobView(row["id"], row["status"], row["created_at"], row["updated_at"],
                       row["finished_at"], items, row["callback_url"], row["callback_state"])

    def list_jobs(self, owner: str, limit: int, cursor: str | None) -> tuple[list[JobSummary],
                                                                       str | None]:
        query = "SELECT id, status, created_at, finished_at, items FROM jobs WHERE owner = ?"
        params: list[Any] = [owner]
        if cursor is not None:
            created_at, job_id = decode_cursor(cursor)
            query += " AND (created_at, id) < (?, ?)"
            params += [created_at, job_id]
        query += " ORDER BY created_at DESC, id DESC LIMIT ?"
        params.append(limit + 1)
        with self._lock:
            rows = self._db.execute(query, params).fetchall()
        jobs = [JobSummary(r["id"], r["status"], r["created_at"], r["finished_at"], r["items"])
                for r in rows[:limit]]
        more = len(rows) > limit
        return jobs, _encode_cursor(jobs[-1].created_at, jobs[-1].id) if more else None

    def cancel(self, job_id: str, owner: str) -> JobView | None:
        now = time.time()
        with self._transaction() as db:
            row = db.execute("SELECT owner, status FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None or row["owner"] != owner:
                return None
            if row["status"] not in TERMINAL:
                db.execute("UPDATE items SET status = 'cancelled', finished_at = ? "
                           "WHERE job_id = ? AND status = 'queued'", (now, job_id))
                db.execute("UPDATE jobs SET status = 'cancelled', updated_at = ?, "
                           "finished_at = ?, callback_state = CASE WHEN callback_url IS NULL "
                           "THEN NULL ELSE 'pending' END WHERE id = ?", (now, now, job_id))
            return self._view(job_id, owner)

    def claim(self) -> Claim | None:
        now = time.time()
        with self._transaction() as db:
            row = db.execute(
                "SELECT items.job_id, items.idx, items.request FROM items "
                "JOIN jobs ON jobs.id = items.job_id "
                "WHERE items.status = 'queued' AND jobs.status IN ('queued', 'running') "
                "ORDER BY jobs.created_at, items.idx LIMIT 1").fetchone()
            if row is None:
                return None
            db.execute("UPDATE items SET status = 'running', started_at = ? "
                       "WHERE job_id = ? AND idx = ?", (now, row["job_id"], row["idx"]))
            db.execute("UPDATE jobs SET status = 'running', updated_at = ? "
                       "WHERE id = ? AND status = 'queued'", (now, row["job_id"]))
            return Claim(row["job_id"], row["idx"], row["request"])

    def finish(self, claim: Claim, brief: str | None, error: dict[str, Any] | None,
               status: str) -> str:
        now = time.time()
        with self._transaction() as db:
            db.execute(
                "UPDATE items SET status = ?, brief = ?, error = ?, finished_at = ? "
                "WHERE job_id = ? AND idx = ?",
                (status, brief, json.dumps(error) if error else None, now, claim.job_id,
                 claim.index))
            job = db.execute("SELECT status FROM jobs WHERE id = ?", (claim.job_id,)).fetchone()
            if job is None:
                return "cancelled"  # purged meanwhile
            if job["status"] in TERMINAL:
                return str(job["status"])
            left = {r[0]: r[1] for r in db.execute(
                "SELECT status, count(*) FROM items WHERE job_id = ? GROUP BY status",
                (claim.job_id,))}
            if left.get("queued") or left.get("running"):
                new = "running"
            else:
                new = "done" if left.get("done") else "failed"
            finished = now if new in TERMINAL else None
            db.execute(
                "UPDATE jobs SET status = ?, updated_at = ?, finished_at = ?, callback_state = "
                "CASE WHEN ? IS NOT NULL AND callback_url IS NOT NULL THEN 'pending' "
                "ELSE callback_state END WHERE id = ?",
                (new, now, finished, finished, claim.job_id))
            return new

    def requeue_interrupted(self) -> int:
        now = time.time()
        with self._transaction() as db:
            # The running item of a job cancelled meanwhile is cancelled, not queued again.
            db.execute("UPDATE items SET status = 'cancelled', finished_at = ? "
                       "WHERE status = 'running' AND job_id IN "
                       "(SELECT id FROM jobs WHERE status = 'cancelled')", (now,))
            return db.execute("UPDATE items SET status = 'queued', started_at = NULL "
                              "WHERE status = 'running'").rowcount

    def purge(self, finished_before: float) -> int:
        with self._transaction() as db:
            return db.execute("DELETE FROM jobs WHERE finished_at IS NOT NULL AND "
                              "finished_at < ?", (finished_before,)).rowcount

    def job_counts(self) -> dict[str, int]:
        with self._lock:
            return {r[0]: r[1] for r in self._db.execute(
                "SELECT status, count(*) FROM jobs GROUP BY status")}

    def queued_items(self) -> int:
        with self._lock:
            return int(self._db.execute(
                "SELECT count(*) FROM items WHERE status = 'queued'").fetchone()[0])

    def pending_callbacks(self) -> list[tuple[str, str, dict[str, Any]]]:
        with self._lock:
            ids = [r[0] for r in self._db.execute(
                "SELECT id FROM jobs WHERE callback_state = 'pending' ORDER BY finished_at")]
            found = []
            for job_id in ids:
                view = self._view(job_id, None)
                if view is not None and view.callback_url:
                    found.append((job_id, view.callback_url, {
                        "id": view.id, "status": view.status, "items": view.counts(),
                        "finished_at": view.finished_at,
                    }))
            return found

    def callback_done(self, job_id: str, delivered: bool) -> None:
        with self._transaction() as db:
            db.execute("UPDATE jobs SET callback_state = ? WHERE id = ?",
                       ("delivered" if delivered else "failed", job_id))

    def close(self) -> None:
        with self._lock:
            self._db.close()
