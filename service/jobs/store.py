"""Where brief jobs live: the `JobStore` interface, the records it hands out, and the one
function that opens a store from `BRIEF_JOBS_URL`.

A job is accepted only once it is written to a store, so a job answered with 202 survives a
crash. Two stores implement the interface with the same SQL (`service/jobs/sql_store.py`):
SQLite (`sqlite:///path`, the default: one machine, one replica) and PostgreSQL
(`postgresql://…`: shared by every API replica).

An item is taken for briefing with a lease: `claimed_by` names the worker, `lease_until` says
until when the claim holds, and the worker renews it while it runs. A replica that dies stops
renewing; once its lease has run out any replica claims the item again. Each claim counts up
the item's `attempt`, and a result is written only by the claim that holds the item now: a
worker that lost its lease cannot write over another's (at-least-once briefing, exactly-once
results)."""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

JobStatus = Literal["queued", "running", "done", "failed", "cancelled", "expired"]
TERMINAL: frozenset[str] = frozenset({"done", "failed", "cancelled", "expired"})
ITEM_STATUSES = ("queued", "running", "done", "failed", "cancelled", "expired")


class JobStoreUnavailable(Exception):
    """The store cannot be opened or reached; the message says which and why."""


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different body."""


@dataclass(frozen=True)
class NewJob:
    owner: str
    """Whose job it is: a hash of the API key that created it ("" without keys)."""
    requests: list[str]
    """Each item's request, as JSON: an article (what `POST /v1/briefs` would take) or
    articles to compare (what `POST /v1/compare` would take; service/jobs/items.py)."""
    body_sha256: str
    idempotency_key: str | None = None
    callback_url: str | None = None
    kinds: tuple[str, ...] = ()
    """Each item's kind, "brief" or "compare", in order; empty: every item is a brief."""


@dataclass(frozen=True)
class ItemView:
    index: int
    status: str
    brief: dict[str, Any] | None
    """The item's result: its brief, or for a compare item the comparison."""
    error: dict[str, Any] | None
    kind: str = "brief"


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
        counts = {"total": len(self.items), **dict.fromkeys(ITEM_STATUSES, 0)}
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
    """An item taken for briefing: `running`, leased to `worker` until finished, put back,
    or its lease runs out. `attempt` tells this claim from a later one of the same item."""

    job_id: str
    index: int
    request: str
    worker: str
    attempt: int


@dataclass(frozen=True)
class Callback:
    """A finished job whose callback URL is to be told, leased to one worker."""

    job_id: str
    owner: str
    url: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class QueueLimits:
    """Bounds on items waiting (queued or running) in the whole store: per key and in all."""

    per_key: int = 1_000
    total: int = 10_000
    retry_after_s: int = 60


class JobStore(Protocol):
    def create(self, job: NewJob) -> tuple[str, bool]:
        """The job's id, and False when the idempotency key named an existing job.
        JobQueueFull past the store's QueueLimits, StorageFull when its disk is full."""
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

    def claim(self, worker: str, lease_s: float) -> Claim | None:
        """The next item to brief, now `running` and leased to `worker`: a queued item, or
        a running one whose lease ran out, of the owner served longest ago (round-robin
        across keys), then of that owner's oldest job."""
        ...

    def renew(self, claims: list[Claim], lease_s: float) -> list[Claim]:
        """Extends the leases of `claims`; returns those no longer held (taken by another
        worker after their lease ran out, or finished)."""
        ...

    def release(self, claims: list[Claim]) -> None:
        """Puts the items of `claims` still held back in the queue (a replica shutting
        down), so that any replica claims them now rather than once their leases run out."""
        ...

    def stopped_jobs(self, job_ids: list[str]) -> set[str]:
        """Those of `job_ids` that are finished (cancelled, expired, purged): their running
        items are to be stopped."""
        ...

    def finish(self, claim: Claim, brief: str | None, error: dict[str, Any] | None,
               status: str) -> str | None:
        """Records an item's outcome; returns its job's status after it, or None when the
        claim no longer holds the item (nothing was written)."""
        ...

    def requeue_interrupted(self) -> int:
        """At start-up: items left running by a process that died go back to the queue, where
        the store knows that no other process can be running them (SQLite); 0 where leases
        say it (PostgreSQL)."""
        ...

    def housekeep(self, finished_before: float, queued_before: float) -> tuple[int, int] | None:
        """Deletes jobs finished before `finished_before`, expires the queued items of jobs
        created before `queued_before`, and ends running items whose worker died in a job
        already finished. (purged, expired jobs), or None when another replica is at it."""
        ...

    def job_counts(self) -> dict[str, int]: ...

    def queued_items(self) -> int: ...

    def claim_callbacks(self, worker: str, lease_s: float, limit: int) -> list[Callback]:
        """Up to `limit` pending callbacks (or ones whose worker's lease ran out), leased to
        `worker`: each is delivered by one replica at a time."""
        ...

    def renew_callbacks(self, job_ids: list[str], worker: str, lease_s: float) -> None: ...

    def callback_done(self, job_id: str, worker: str, delivered: bool) -> None: ...

    def close(self) -> None: ...


def new_job_id() -> str:
    """Random, 128 bits: not guessable, not sequential."""
    return "job_" + secrets.token_urlsafe(16)


def encode_cursor(created_at: float, job_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([created_at, job_id]).encode()).decode()


def decode_cursor(cursor: str) -> tuple[float, str]:
    """ValueError when the cursor is not one this store gave out."""
    try:
        created_at, job_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return float(created_at), str(job_id)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError("not a cursor from GET /v1/jobs") from exc




def open_job_store(url: str | None, data_dir: Path, limits: QueueLimits, *,
                   pool_size: int = 10) -> JobStore:
    """The store `BRIEF_JOBS_URL` names: `sqlite:///path`, `postgresql://…` (or
    `postgres://…`), or None: SQLite at `data_dir/jobs.sqlite3`. ValueError for another
    scheme."""
    if url is None or not url.strip():
        from service.jobs.sqlite_store import SqliteJobStore

        return SqliteJobStore(data_dir / "jobs.sqlite3", limits)
    scheme = url.partition(":")[0].lower()
    if scheme == "sqlite":
        from service.jobs.sqlite_store import SqliteJobStore

        path = url.removeprefix("sqlite://").removeprefix("sqlite:")
        if not path or path == "/":
            raise ValueError("BRIEF_JOBS_URL: a SQLite URL names a file: sqlite:///path/jobs.db")
        return SqliteJobStore(Path(path), limits)
    if scheme in ("postgresql", "postgres"):
        from service.jobs.postgres_store import PostgresJobStore

        return PostgresJobStore(url, limits, pool_size=pool_size)
    raise ValueError(f"BRIEF_JOBS_URL: unknown scheme {scheme!r} (sqlite:/// or postgresql://)")
