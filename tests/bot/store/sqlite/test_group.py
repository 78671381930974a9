"""Group commit: the writes of one turn of the event loop share one SQLite commit; whoever must
wait for durability awaits `settled()`; with no loop every write commits itself."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.store import SqliteStore, StoreError
from bot.store.sqlite.group import CommitGroup
from tests.fakes import FakeClock

LEASE = timedelta(seconds=15)


def _rows(db_path: Path, table: str = "inbox") -> int:
    """What another connection (another process, or this one after a crash) sees."""
    other = sqlite3.connect(db_path)
    try:
        return int(other.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        other.close()


def _commits(store: SqliteStore) -> list[str]:
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    return statements


async def test_the_writes_of_one_turn_share_one_commit(
    store: SqliteStore, clock: FakeClock, db_path: Path
) -> None:
    statements = _commits(store)
    for n in range(3):
        store.inbox_put("slack", f"Ev{n}", "{}", "a", clock.now(), LEASE)
    assert _rows(db_path) == 0  # not durable yet: nobody may acknowledge them
    await store.settled()
    assert _rows(db_path) == 3
    assert [s for s in statements if s == "COMMIT"] == ["COMMIT"]


async def test_settled_returns_at_once_when_nothing_waits(store: SqliteStore) -> None:
    await asyncio.wait_for(store.settled(), 1.0)
    assert not store.group.open


def test_without_a_running_loop_each_write_commits_itself(
    store: SqliteStore, clock: FakeClock, db_path: Path
) -> None:
    store.inbox_put("slack", "Ev1", "{}", "a", clock.now(), LEASE)
    assert not store.group.open
    assert _rows(db_path) == 1


async def test_a_batch_that_raises_is_undone_alone_and_the_turns_other_writes_are_kept(
    store: SqliteStore, clock: FakeClock, db_path: Path
) -> None:
    store.inbox_put("slack", "Ev1", "{}", "a", clock.now(), LEASE)
    with pytest.raises(RuntimeError), store.batch():
        store.mark_seen("slack", "Ev2")
        raise RuntimeError("a bug in the middle of a line")
    with store.batch():
        assert store.mark_seen("slack", "Ev3")
    await store.settled()
    assert _rows(db_path) == 1
    assert _rows(db_path, "seen_events") == 1
    assert store.mark_seen("slack", "Ev2")  # undone: new again


async def test_health_says_writable_while_the_group_holds_the_write_lock(
    store: SqliteStore, clock: FakeClock
) -> None:
    store.inbox_put("slack", "Ev1", "{}", "a", clock.now(), LEASE)
    assert store.group.open
    assert store.health() == {"read": True, "write": True}
    await store.settled()


async def test_close_commits_the_open_group(
    store: SqliteStore, clock: FakeClock, db_path: Path
) -> None:
    store.inbox_put("slack", "Ev1", "{}", "a", clock.now(), LEASE)
    store.close()
    assert _rows(db_path) == 1


class _FailingCommit:
    """A connection whose COMMIT fails (a full disk, an I/O error)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql == "COMMIT":
            raise sqlite3.OperationalError("disk I/O error")
        return self.conn.execute(sql, *args)


async def test_a_failed_commit_fails_those_waiting_and_undoes_the_turn(
    store: SqliteStore, clock: FakeClock, db_path: Path
) -> None:
    store.group = CommitGroup(_FailingCommit(store.db.conn), store.explain)  # type: ignore[arg-type]
    store.inbox_put("slack", "Ev1", "{}", "a", clock.now(), LEASE)
    with pytest.raises(StoreError, match="disk I/O error"):
        await store.settled()
    assert not store.db.conn.in_transaction
    assert _rows(db_path) == 0


async def test_a_write_lock_held_elsewhere_is_refused_at_the_write(
    store: SqliteStore, clock: FakeClock, db_path: Path
) -> None:
    store.busy_timeout = 0.05
    store.db.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="locked"):
            store.inbox_put("slack", "Ev1", "{}", "a", clock.now(), LEASE)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not store.group.open
