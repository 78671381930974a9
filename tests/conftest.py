"""Fixtures every test tree may use: a PostgreSQL database of this test session."""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest
from hypothesis import settings

from tests.pg.database import scratch_database


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers a core. Many tests spend their time waiting on a real `calma`
    process, a socket or a sweep, not on the CPU (the suite ran in 144 s on 2 workers and 107 s
    on 4, on 2 cores)."""
    return 2 * (os.cpu_count() or 1)


# Property tests check what comes out, not how fast: no per-example deadline (a loaded machine
# made a 200 ms deadline fail a correct example). Speed is measured by the benches in bench/.
settings.register_profile("calma", deadline=None)
settings.load_profile("calma")


@pytest.fixture(scope="session")
def pg_session_url() -> Iterator[str]:
    """A database made for this test session (dropped at its end); skipped when unreachable."""
    with scratch_database() as url:
        yield url


# Tables whose identity sequence moved since it was last restarted (rows added, even if gone).
MOVED_SEQUENCES = """
SELECT t.relname FROM pg_depend d
JOIN pg_class q ON q.oid = d.objid AND q.relkind = 'S'
JOIN pg_sequences s ON s.schemaname = 'public' AND s.sequencename = q.relname
JOIN pg_class t ON t.oid = d.refobjid
WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
  AND s.last_value IS NOT NULL
"""


@pytest.fixture
def pg_url(pg_session_url: str) -> str:
    """The session's database, emptied of Calma's rows (the schema stays, identities restart).

    Only the tables a test touched (rows, or a moved identity) are truncated: TRUNCATE makes new
    files for every table it names, so naming all of them cost most of a PostgreSQL test."""
    with psycopg.connect(pg_session_url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'calma_migrations'"
            )
        ]
        if not tables:
            return pg_session_url
        holding = " UNION ALL ".join(
            f"SELECT '{t}' WHERE EXISTS (SELECT FROM \"{t}\")" for t in tables
        )
        touched = {row[0] for row in conn.execute(holding)}  # type: ignore[call-overload]
        touched |= {row[0] for row in conn.execute(MOVED_SEQUENCES)} & set(tables)
        if touched:
            names = ", ".join(f'"{t}"' for t in sorted(touched))
            conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")  # type: ignore[arg-type]
    return pg_session_url
