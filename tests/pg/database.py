"""PostgreSQL for tests: each test session makes its own database (`calma_test_<random>`) on the
server named by CALMA_TEST_PG (default: 127.0.0.1:5432, user postgres) and drops it at the end.

When the server cannot be reached the tests that need it are skipped with a message that says so;
with CI=true they fail instead, so CI never passes without having run them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

SERVER = os.environ.get("CALMA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def unreachable(reason: str) -> None:
    """Skip (or fail under CI) a test that needs PostgreSQL, saying why."""
    message = (
        f"PostgreSQL is not reachable at {SERVER} ({reason}). These tests need it: start it, or"
        " point CALMA_TEST_PG at a server where the user may create databases."
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def url_of(name: str) -> str:
    """The URL of database `name` on the test server."""
    base, _, _ = SERVER.rpartition("/")
    return f"{base}/{name}"


@contextmanager
def scratch_database() -> Iterator[str]:
    """A new empty database on the test server, dropped afterwards; yields its URL."""
    name = f"calma_test_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        unreachable(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
        raise  # unreachable() always raises
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        yield url_of(name)
    finally:
        with psycopg.connect(SERVER, autocommit=True) as admin:
            admin.execute(
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'  # type: ignore[arg-type]
            )
