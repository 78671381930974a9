"""Fixtures every test tree may use: a PostgreSQL database of this test session."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from tests.pg.database import scratch_database


@pytest.fixture(scope="session")
def pg_session_url() -> Iterator[str]:
    """A database made for this test session (dropped at its end); skipped when unreachable."""
    with scratch_database() as url:
        yield url


@pytest.fixture
def pg_url(pg_session_url: str) -> str:
    """The session's database, emptied of Calma's rows (the schema stays)."""
    with psycopg.connect(pg_session_url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'calma_migrations'"
            )
        ]
        if tables:
            names = ", ".join(f'"{t}"' for t in tables)
            conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")  # type: ignore[arg-type]
    return pg_session_url
