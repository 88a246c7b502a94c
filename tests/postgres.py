"""A PostgreSQL for the tests: the one BRIEF_TEST_POSTGRES_URL names (CI starts it with
scripts/postgres-test-cluster), or else a throwaway cluster this test session starts with the
same script and stops at its end. Without a PostgreSQL server installed the tests that need
one fail, saying how to get one: they are never skipped.

Each test gets a database of its own (`fresh_database`), dropped after it."""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "postgres-test-cluster"


@contextmanager
def server_url() -> Iterator[str]:
    """The URL of a running server's `postgres` database."""
    given = os.environ.get("BRIEF_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    started = subprocess.run([str(SCRIPT), "start"], capture_output=True, text=True,
                             check=False)
    if started.returncode != 0:
        pytest.fail("these tests need PostgreSQL: set BRIEF_TEST_POSTGRES_URL, or install the "
                    "server (scripts/postgres-test-cluster install; Debian: apt-get install "
                    f"postgresql) so the tests can start one.\n{started.stderr}")
    exports = dict(line.removeprefix("export ").split("=", 1)
                   for line in started.stdout.splitlines() if line.startswith("export "))
    try:
        yield exports["BRIEF_TEST_POSTGRES_URL"]
    finally:
        subprocess.run([str(SCRIPT), "stop", exports["BRIEF_TEST_POSTGRES_DIR"]], check=False,
                       capture_output=True)


def with_database(url: str, name: str) -> str:
    """`url` with its database replaced by `name`."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


@contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """A new, empty database on the server at `url`, dropped afterwards."""
    name = "brief_test_" + secrets.token_hex(6)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield with_database(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
