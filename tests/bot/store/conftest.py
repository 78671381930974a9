"""The shared store suite: every test that takes `any_store` runs against every store.

SQLite in a file and in memory, and PostgreSQL in this test session's own database (skipped,
saying why, when no server is reachable; failed instead under CI=true).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.store import SqliteStore, Store
from bot.store.postgres import PgStore
from tests.fakes import FakeClock

STORES: dict[str, Callable[[pytest.FixtureRequest, Path, FakeClock], Store]] = {
    "sqlite-file": lambda _req, tmp, clock: SqliteStore(tmp / "calma.db", clock=clock),
    "sqlite-memory": lambda _req, _tmp, clock: SqliteStore(":memory:", clock=clock),
    "postgres": lambda req, _tmp, clock: PgStore(req.getfixturevalue("pg_url"), clock=clock),
}


@pytest.fixture(params=sorted(STORES))
def any_store(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Store]:
    """A fresh, empty store of each kind."""
    opened = STORES[request.param](request, tmp_path, clock)
    yield opened
    opened.close()
