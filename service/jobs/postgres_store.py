"""The shared job store: PostgreSQL, through psycopg 3 and its connection pool. Every API
replica points `BRIEF_JOBS_URL` at the same database, so any replica answers for any job.

Claims take an item with `FOR UPDATE SKIP LOCKED` (two replicas never take the same one) and
a lease measured on the server's clock (`clock_timestamp()`), so the replicas' own clocks do
not matter. Job creation (the caps counted, then the job written) and housekeeping hold
transaction-long advisory locks; the schema is migrated under one too, so replicas starting
together run each versioned step once."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from service.errors import StorageFull, StoreUnavailable
from service.jobs.sql_store import Sql, SqlJobStore
from service.jobs.store import JobStoreUnavailable, QueueLimits

MIGRATION_LOCK = 7_301_000
# Aborts PostgreSQL asks the client to retry (both are OperationalErrors, like an outage).
_TRANSIENT = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)
MIGRATIONS: list[str] = [
    # 1: jobs, their items with leases, callbacks with leases, each owner's last turn.
    """
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL,
        updated_at DOUBLE PRECISION NOT NULL,
        finished_at DOUBLE PRECISION,
        items INTEGER NOT NULL,
        idempotency_key TEXT,
        body_sha256 TEXT NOT NULL,
        callback_url TEXT,
        callback_state TEXT,
        callback_claimed_by TEXT,
        callback_lease_until DOUBLE PRECISION
    );
    CREATE UNIQUE INDEX jobs_idempotency ON jobs(owner, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
    CREATE INDEX jobs_by_owner ON jobs(owner, created_at DESC, id DESC);
    CREATE INDEX jobs_finished ON jobs(finished_at) WHERE finished_at IS NOT NULL;
    CREATE INDEX jobs_waiting ON jobs(status, created_at);
    CREATE INDEX jobs_callbacks ON jobs(callback_state)
        WHERE callback_state IN ('pending', 'delivering');
    CREATE TABLE items (
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        status TEXT NOT NULL,
        request TEXT NOT NULL,
        brief TEXT,
        error TEXT,
        started_at DOUBLE PRECISION,
        finished_at DOUBLE PRECISION,
        claimed_by TEXT,
        lease_until DOUBLE PRECISION,
        attempt INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (job_id, idx)
    );
    CREATE INDEX items_by_status ON items(status);
    CREATE TABLE owner_turns (owner TEXT PRIMARY KEY, served_at DOUBLE PRECISION NOT NULL);
    """,
    # 2: an item may be a comparison of articles as well as one article's brief.
    """
    ALTER TABLE items ADD COLUMN kind TEXT NOT NULL DEFAULT 'brief';
    """,
]


@functools.lru_cache(maxsize=256)
def _placeholders(sql: str) -> str:
    """The shared statements' `?` as psycopg's `%s` (they carry no literal `?` or `%`)."""
    return sql.replace("?", "%s")


class _Connection:
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(_placeholders(sql), params)

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> Any:
        cursor = self._conn.cursor()
        cursor.executemany(_placeholders(sql), params)
        return cursor


class PostgresJobStore(SqlJobStore):
    _skip_locked = " FOR UPDATE OF items SKIP LOCKED"
    _skip_locked_row = " FOR UPDATE SKIP LOCKED"
    _for_update = " FOR UPDATE"
    _transient = _TRANSIENT

    def __init__(self, url: str, limits: QueueLimits | None = None, *, pool_size: int = 10,
                 connect_timeout_s: float = 10.0) -> None:
        self.limits = limits or QueueLimits()
        self._pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url, min_size=1, max_size=max(2, pool_size), open=False,
            # A caller waits this long for a connection, then gets a 503, not a hang.
            timeout=connect_timeout_s,
            kwargs={"row_factory": dict_row, "connect_timeout": int(connect_timeout_s)},
            # A connection the server dropped (a restart, a failover) is replaced before use.
            check=ConnectionPool.check_connection, name="brief-jobs")
        try:
            self._pool.open(wait=True, timeout=connect_timeout_s)
            self._migrate()
        except (PoolTimeout, psycopg.OperationalError) as exc:
            self._pool.close()
            raise JobStoreUnavailable(
                f"cannot reach the PostgreSQL job store ({_safe(url)}): {exc}") from exc

    def _migrate(self) -> None:
        with self._pool.connection() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS brief_schema_version "
                         "(version INTEGER NOT NULL)")
            row = conn.execute("SELECT max(version) AS v FROM brief_schema_version").fetchone()
            version = int(row["v"] or 0) if row else 0
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                conn.execute(script)
                conn.execute("INSERT INTO brief_schema_version (version) VALUES (%s)",
                             (number,))

    @contextmanager
    def _write(self) -> Iterator[Sql]:
        try:
            # The pool's context commits on leaving, rolls back on an exception.
            with self._pool.connection() as conn:
                yield _Connection(conn)
        except psycopg.errors.DiskFull as exc:
            raise StorageFull("the PostgreSQL job store is full: its disk has no room "
                              "left") from exc
        except _TRANSIENT:
            raise  # tried again by `_retried`: not an outage
        except (PoolTimeout, psycopg.OperationalError) as exc:
            raise _unavailable(exc) from exc

    @contextmanager
    def _read(self) -> Iterator[Sql]:
        try:
            with self._pool.connection() as conn:
                yield _Connection(conn)
        except _TRANSIENT:
            raise
        except (PoolTimeout, psycopg.OperationalError) as exc:
            raise _unavailable(exc) from exc

    def _now(self, db: Sql) -> float:
        return float(db.execute(
            "SELECT EXTRACT(EPOCH FROM clock_timestamp())::float8 AS now").fetchone()["now"])

    def _lock(self, db: Sql, name: int) -> None:
        db.execute("SELECT pg_advisory_xact_lock(?)", (name,))

    def _try_lock(self, db: Sql, name: int) -> bool:
        return bool(db.execute("SELECT pg_try_advisory_xact_lock(?) AS ok",
                               (name,)).fetchone()["ok"])

    def requeue_interrupted(self) -> int:
        """Other replicas may be running items: a dead one's items come back when their
        leases run out, not at anyone's start-up."""
        return 0

    def close(self) -> None:
        self._pool.close()


def _unavailable(exc: Exception) -> StoreUnavailable:
    return StoreUnavailable(f"the PostgreSQL job store does not answer ({type(exc).__name__});"
                            " retry later")


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "an unparsable URL"
    return f"host={info.get('host', '')} port={info.get('port', '')} dbname={info.get('dbname', '')}"
