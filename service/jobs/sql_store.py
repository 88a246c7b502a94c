"""The job store's logic in SQL that SQLite and PostgreSQL both run: claims with leases,
round-robin across keys, queue caps, expiry, callbacks leased to one worker.

A subclass supplies the connection (`_write`: one transaction, which raises StorageFull when
the disk is full; `_read`), the database's clock (`_now`: on PostgreSQL the server's, so the
replicas' leases are measured on one clock), its locks and the `FOR UPDATE SKIP LOCKED` of a
claim. Statements are written with `?` placeholders; PostgreSQL's adapter turns them into
`%s`. Rows are read by column name."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from service.errors import InputTooLarge, JobQueueFull
from service.jobs.store import (
    ITEM_STATUSES,
    TERMINAL,
    Callback,
    Claim,
    IdempotencyConflict,
    ItemView,
    JobSummary,
    JobView,
    NewJob,
    QueueLimits,
    decode_cursor,
    encode_cursor,
    new_job_id,
)

# Lock names: creating a job (the caps are counted and the job written as one step) and
# housekeeping (one replica at a time).
CREATE_LOCK = 7_301_001
HOUSEKEEPING_LOCK = 7_301_002
_WAITING = "('queued', 'running')"


class Sql(Protocol):
    """A connection inside a transaction: `execute` returns a cursor (fetchone, fetchall,
    rowcount) whose rows are read by column name."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> Any: ...


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


_P = ParamSpec("_P")
_R = TypeVar("_R")
_S = TypeVar("_S", bound="SqlJobStore")
_TRIES = 3


def _retried(method: Callable[Concatenate[_S, _P], _R]) -> Callable[Concatenate[_S, _P], _R]:
    """Runs a write again when the database aborted it for a transient reason (a deadlock
    PostgreSQL broke, a serialization failure): nothing of it was committed."""

    def run(self: _S, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        for attempt in range(_TRIES - 1):
            try:
                return method(self, *args, **kwargs)
            except self._transient:
                time.sleep(0.05 * (attempt + 1))
        return method(self, *args, **kwargs)

    functools.update_wrapper(run, method)
    return run


class SqlJobStore:
    limits: QueueLimits
    _skip_locked = ""
    """` FOR UPDATE OF items SKIP LOCKED` where several processes claim at once."""
    _skip_locked_row = ""
    """` FOR UPDATE SKIP LOCKED`: a row to change unless another transaction holds it."""
    _transient: tuple[type[BaseException], ...] = ()
    """Errors after which a write is tried again."""
    _for_update = ""
    """` FOR UPDATE` where a row read to be changed must be locked (not in SQLite, whose
    write transaction holds the whole file)."""

    def _write(self) -> AbstractContextManager[Sql]:
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[Sql]:
        raise NotImplementedError

    def _now(self, db: Sql) -> float:
        raise NotImplementedError

    def _lock(self, db: Sql, name: int) -> None:
        """Waits for the transaction-long lock `name`."""
        raise NotImplementedError

    def _try_lock(self, db: Sql, name: int) -> bool:
        """The transaction-long lock `name` if nobody holds it."""
        raise NotImplementedError

    # -- jobs -------------------------------------------------------------------------------

    @_retried
    def create(self, job: NewJob) -> tuple[str, bool]:
        with self._write() as db:
            self._lock(db, CREATE_LOCK)
            now = self._now(db)
            if job.idempotency_key is not None:
                row = db.execute(
                    "SELECT id, body_sha256 FROM jobs WHERE owner = ? AND idempotency_key = ?",
                    (job.owner, job.idempotency_key)).fetchone()
                if row is not None:
                    if row["body_sha256"] != job.body_sha256:
                        raise IdempotencyConflict(job.idempotency_key)
                    return str(row["id"]), False
            self._check_caps(db, job.owner, len(job.requests))
            job_id = new_job_id()
            db.execute(
                "INSERT INTO jobs (id, owner, status, created_at, updated_at, items, "
                "idempotency_key, body_sha256, callback_url) VALUES (?, ?, 'queued', ?, ?, ?, "
                "?, ?, ?)",
                (job_id, job.owner, now, now, len(job.requests), job.idempotency_key,
                 job.body_sha256, job.callback_url))
            kinds = job.kinds or ("brief",) * len(job.requests)
            db.executemany(
                "INSERT INTO items (job_id, idx, status, request, kind) "
                "VALUES (?, ?, 'queued', ?, ?)",
                [(job_id, i, request, kind)
                 for i, (request, kind) in enumerate(zip(job.requests, kinds, strict=True))])
        return job_id, True

    def _check_caps(self, db: Sql, owner: str, adding: int) -> None:
        """JobQueueFull when `adding` more waiting items would pass a cap. Counted under the
        create lock, so replicas creating at once cannot both slip under it."""
        limits = self.limits
        if adding > min(limits.per_key, limits.total):  # would never fit: no use retrying
            raise InputTooLarge(
                f"a job of {adding:,} articles is more than may ever wait at once "
                f"({min(limits.per_key, limits.total):,}: BRIEF_MAX_QUEUED_ITEMS_PER_KEY, "
                "BRIEF_MAX_QUEUED_ITEMS)")
        retry = {"Retry-After": str(limits.retry_after_s)}
        mine = db.execute(
            "SELECT count(*) AS n FROM items JOIN jobs ON jobs.id = items.job_id "
            f"WHERE jobs.owner = ? AND jobs.status IN {_WAITING} "
            f"AND items.status IN {_WAITING}", (owner,)).fetchone()["n"]
        if mine + adding > limits.per_key:
            raise JobQueueFull(
                f"this key has {mine:,} articles waiting in jobs; at most {limits.per_key:,} "
                "may wait (BRIEF_MAX_QUEUED_ITEMS_PER_KEY): retry once some are briefed",
                headers=retry)
        total = db.execute(
            f"SELECT count(*) AS n FROM items WHERE status IN {_WAITING}").fetchone()["n"]
        if total + adding > limits.total:
            raise JobQueueFull(
                f"{total:,} articles are waiting in jobs; at most {limits.total:,} may wait "
                "(BRIEF_MAX_QUEUED_ITEMS): retry once some are briefed", headers=retry)

    def get(self, job_id: str, owner: str) -> JobView | None:
        with self._read() as db:
            return self._view(db, job_id, owner)

    def get_any(self, job_id: str) -> JobView | None:
        with self._read() as db:
            return self._view(db, job_id, None)

    def _view(self, db: Sql, job_id: str, owner: str | None) -> JobView | None:
        row = db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None or (owner is not None and row["owner"] != owner):
            return None
        items = [
            ItemView(r["idx"], r["status"], json.loads(r["brief"]) if r["brief"] else None,
                     json.loads(r["error"]) if r["error"] else None, r["kind"])
            for r in db.execute(
                "SELECT idx, status, brief, error, kind FROM items WHERE job_id = ? "
                "ORDER BY idx", (job_id,)).fetchall()
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
        with self._read() as db:
            rows = db.execute(query, params).fetchall()
        jobs = [JobSummary(r["id"], r["status"], r["created_at"], r["finished_at"], r["items"])
                for r in rows[:limit]]
        more = len(rows) > limit
        return jobs, encode_cursor(jobs[-1].created_at, jobs[-1].id) if more else None

    @_retried
    def cancel(self, job_id: str, owner: str) -> JobView | None:
        with self._write() as db:
            now = self._now(db)
            row = db.execute(f"SELECT owner, status FROM jobs WHERE id = ?{self._for_update}",
                             (job_id,)).fetchone()
            if row is None or row["owner"] != owner:
                return None
            if row["status"] not in TERMINAL:
                # A running item is stopped by its worker (which sees the job cancelled
                # within a second or two, on whichever replica) and recorded `cancelled`.
                db.execute("UPDATE items SET status = 'cancelled', finished_at = ? "
                           "WHERE job_id = ? AND status = 'queued'", (now, job_id))
                db.execute("UPDATE jobs SET status = 'cancelled', updated_at = ?, "
                           "finished_at = ?, callback_state = CASE WHEN callback_url IS NULL "
                           f"THEN NULL ELSE 'pending' END WHERE id = ? AND status IN {_WAITING}",
                           (now, now, job_id))
            return self._view(db, job_id, owner)

    # -- items ------------------------------------------------------------------------------

    @_retried
    def claim(self, worker: str, lease_s: float) -> Claim | None:
        with self._write() as db:
            now = self._now(db)
            # Round-robin across keys: the owner whose last item was claimed longest ago (or
            # never) goes first, then its oldest job's first item. Among replicas claiming at
            # the same instant it is nearly round-robin: SKIP LOCKED passes over the item
            # another has just taken, which may leave the same owner's next one.
            row = db.execute(
                "SELECT items.job_id AS job_id, items.idx AS idx, items.request AS request, "
                "items.attempt AS attempt, jobs.owner AS owner FROM items "
                "JOIN jobs ON jobs.id = items.job_id "
                "LEFT JOIN owner_turns ON owner_turns.owner = jobs.owner "
                f"WHERE jobs.status IN {_WAITING} AND (items.status = 'queued' OR "
                "(items.status = 'running' AND items.lease_until < ?)) "
                "ORDER BY COALESCE(owner_turns.served_at, 0), jobs.created_at, jobs.id, "
                f"items.idx LIMIT 1{self._skip_locked}", (now,)).fetchone()
            if row is None:
                return None
            attempt = int(row["attempt"]) + 1
            db.execute("UPDATE items SET status = 'running', started_at = ?, claimed_by = ?, "
                       "lease_until = ?, attempt = ? WHERE job_id = ? AND idx = ?",
                       (now, worker, now + lease_s, attempt, row["job_id"], row["idx"]))
            # Never waits for the job's row: whoever holds it (a cancel, a finish, the
            # housekeeper) settles the job's status itself. Every other writer locks a job's
            # row before its items, so claims and they never wait for each other in a circle.
            db.execute("UPDATE jobs SET status = 'running', updated_at = ? WHERE id IN "
                       "(SELECT id FROM jobs WHERE id = ? AND status = 'queued'"
                       f"{self._skip_locked_row})", (now, row["job_id"]))
            db.execute("INSERT INTO owner_turns (owner, served_at) VALUES (?, ?) "
                       "ON CONFLICT (owner) DO UPDATE SET served_at = excluded.served_at",
                       (row["owner"], now))
            return Claim(row["job_id"], row["idx"], row["request"], worker, attempt)

    @_retried
    def renew(self, claims: list[Claim], lease_s: float) -> list[Claim]:
        if not claims:
            return []
        lost = []
        with self._write() as db:
            now = self._now(db)
            for claim in claims:
                held = db.execute(
                    "UPDATE items SET lease_until = ? WHERE job_id = ? AND idx = ? AND "
                    "status = 'running' AND claimed_by = ? AND attempt = ?",
                    (now + lease_s, claim.job_id, claim.index, claim.worker, claim.attempt))
                if held.rowcount == 0:
                    lost.append(claim)
        return lost

    @_retried
    def release(self, claims: list[Claim]) -> None:
        if not claims:
            return
        with self._write() as db:
            for claim in claims:
                db.execute(
                    "UPDATE items SET status = 'queued', started_at = NULL, claimed_by = NULL, "
                    "lease_until = NULL WHERE job_id = ? AND idx = ? AND status = 'running' "
                    "AND claimed_by = ? AND attempt = ?",
                    (claim.job_id, claim.index, claim.worker, claim.attempt))

    def stopped_jobs(self, job_ids: list[str]) -> set[str]:
        if not job_ids:
            return set()
        with self._read() as db:
            rows = db.execute(
                f"SELECT id, status FROM jobs WHERE id IN ({_marks(job_ids)})",
                job_ids).fetchall()
        live = {r["id"] for r in rows if r["status"] not in TERMINAL}
        return set(job_ids) - live

    @_retried
    def finish(self, claim: Claim, brief: str | None, error: dict[str, Any] | None,
               status: str) -> str | None:
        with self._write() as db:
            now = self._now(db)
            # The job's row first: items of one job finishing at once on several replicas
            # settle its status one after the other, each seeing the others' items.
            db.execute(f"SELECT id FROM jobs WHERE id = ?{self._for_update}", (claim.job_id,))
            # Only the claim that holds the item writes: a worker whose lease ran out (and
            # whose item another worker claimed) finds nothing to update.
            written = db.execute(
                "UPDATE items SET status = ?, brief = ?, error = ?, finished_at = ?, "
                "claimed_by = NULL, lease_until = NULL WHERE job_id = ? AND idx = ? AND "
                "status = 'running' AND claimed_by = ? AND attempt = ?",
                (status, brief, json.dumps(error) if error else None, now, claim.job_id,
                 claim.index, claim.worker, claim.attempt))
            if written.rowcount == 0:
                return None
            return self._settle(db, claim.job_id, now)

    def _settle(self, db: Sql, job_id: str, now: float) -> str:
        """The job's status after one of its items ended."""
        job = db.execute("SELECT status FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if job is None:
            return "cancelled"  # purged meanwhile
        if job["status"] in TERMINAL:
            return str(job["status"])
        left = {r["status"]: r["n"] for r in db.execute(
            "SELECT status, count(*) AS n FROM items WHERE job_id = ? GROUP BY status",
            (job_id,)).fetchall()}
        if left.get("queued") or left.get("running"):
            new = "running"
        elif left.get("expired"):
            new = "expired"
        else:
            new = "done" if left.get("done") else "failed"
        finished = now if new in TERMINAL else None
        db.execute(
            "UPDATE jobs SET status = ?, updated_at = ?, finished_at = ?, callback_state = "
            "CASE WHEN ? AND callback_url IS NOT NULL THEN 'pending' "
            "ELSE callback_state END WHERE id = ?",
            (new, now, finished, finished is not None, job_id))
        return new

    # -- housekeeping -----------------------------------------------------------------------

    @_retried
    def housekeep(self, finished_before: float, queued_before: float) -> tuple[int, int] | None:
        with self._write() as db:
            if not self._try_lock(db, HOUSEKEEPING_LOCK):
                return None
            now = self._now(db)
            purged = db.execute("DELETE FROM jobs WHERE finished_at IS NOT NULL AND "
                                "finished_at < ?", (finished_before,)).rowcount
            # A worker that died running an item of a job since cancelled or expired: the
            # item ends as its job did (nobody will claim it again).
            for ended in ("cancelled", "expired"):
                db.execute(
                    f"UPDATE items SET status = '{ended}', finished_at = ?, claimed_by = NULL "
                    "WHERE status = 'running' AND lease_until < ? AND job_id IN "
                    f"(SELECT id FROM jobs WHERE status = '{ended}')", (now, now))
            stale = [r["id"] for r in db.execute(
                f"SELECT id FROM jobs WHERE status IN {_WAITING} AND created_at < ?",
                (queued_before,)).fetchall()]
            expired = 0
            for job_id in stale:
                # The job's row first (as every writer but a claim): a finish of its running
                # item settles before or after this, never beside it.
                db.execute(f"SELECT id FROM jobs WHERE id = ?{self._for_update}", (job_id,))
                db.execute("UPDATE items SET status = 'expired', finished_at = ? "
                           "WHERE job_id = ? AND status = 'queued'", (now, job_id))
                # A job with an item still running ends when that item does.
                if self._settle(db, job_id, now) == "expired":
                    expired += 1
            return purged, expired

    def job_counts(self) -> dict[str, int]:
        with self._read() as db:
            return {r["status"]: int(r["n"]) for r in db.execute(
                "SELECT status, count(*) AS n FROM jobs GROUP BY status").fetchall()}

    def queued_items(self) -> int:
        with self._read() as db:
            return int(db.execute(
                "SELECT count(*) AS n FROM items WHERE status = 'queued'").fetchone()["n"])

    # -- callbacks --------------------------------------------------------------------------

    @_retried
    def claim_callbacks(self, worker: str, lease_s: float, limit: int) -> list[Callback]:
        if limit <= 0:
            return []
        with self._write() as db:
            now = self._now(db)
            jobs = db.execute(
                "SELECT id, owner, status, finished_at, callback_url FROM jobs "
                "WHERE callback_state = 'pending' OR (callback_state = 'delivering' AND "
                "callback_lease_until < ?) ORDER BY finished_at LIMIT ?"
                f"{self._skip_locked_row}", (now, limit)).fetchall()
            if not jobs:
                return []
            ids = [r["id"] for r in jobs]
            db.execute(
                "UPDATE jobs SET callback_state = 'delivering', callback_claimed_by = ?, "
                f"callback_lease_until = ? WHERE id IN ({_marks(ids)})",
                [worker, now + lease_s, *ids])
            # The payload's counts by SQL: no brief is read or parsed.
            counts: dict[str, dict[str, int]] = {job_id: {} for job_id in ids}
            for r in db.execute(
                    "SELECT job_id, status, count(*) AS n FROM items "
                    f"WHERE job_id IN ({_marks(ids)}) GROUP BY job_id, status", ids).fetchall():
                counts[r["job_id"]][r["status"]] = int(r["n"])
        found = []
        for r in jobs:
            mine = counts[r["id"]]
            items = {"total": sum(mine.values()), **{s: mine.get(s, 0) for s in ITEM_STATUSES}}
            found.append(Callback(r["id"], r["owner"], r["callback_url"], {
                "id": r["id"], "status": r["status"], "items": items,
                "finished_at": r["finished_at"]}))
        return found

    @_retried
    def renew_callbacks(self, job_ids: list[str], worker: str, lease_s: float) -> None:
        if not job_ids:
            return
        with self._write() as db:
            now = self._now(db)
            db.execute(
                "UPDATE jobs SET callback_lease_until = ? WHERE callback_state = 'delivering' "
                f"AND callback_claimed_by = ? AND id IN ({_marks(job_ids)})",
                [now + lease_s, worker, *job_ids])

    @_retried
    def callback_done(self, job_id: str, worker: str, delivered: bool) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE jobs SET callback_state = ?, callback_claimed_by = NULL, "
                "callback_lease_until = NULL WHERE id = ? AND callback_claimed_by = ? "
                "AND callback_state = 'delivering'",
                ("delivered" if delivered else "failed", job_id, worker))
