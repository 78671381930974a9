"""The shared store suite: every test that takes `any_store` runs against every store.

Today that is SQLite in a file and in memory; the PostgreSQL store adds its entry to STORES.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.store import SqliteStore, Store
from tests.fakes import FakeClock

STORES: dict[str, Callable[[Path, FakeClock], Store]] = {
    "sqlite-file": lambda tmp, clock: SqliteStore(tmp / "calma.db", clock=clock),
    "sqlite-memory": lambda _tmp, clock: SqliteStore(":memory:", clock=clock),
}


@pytest.fixture(params=sorted(STORES))
def any_store(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Store]:
    """A fresh, empty store of each kind."""
    opened = STORES[request.param](tmp_path, clock)
    yield opened
    opened.close()
