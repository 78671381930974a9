"""WAL checkpoints taken off the serving connection (bot/store/sqlite/checkpoint.py)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.store.sqlite import SqliteStore

AUTOCHECKPOINT_PAGES = 1000  # SQLite's default: a commit past this many log frames copies them


def _fill(store: SqliteStore, rows: int) -> None:
    """Many small commits on the store's own connection, each adding a log frame or more."""
    conn = store.db.conn
    conn.execute("CREATE TABLE IF NOT EXISTS filler (n INTEGER, pad TEXT)")
    for n in range(rows):
        conn.execute("INSERT INTO filler VALUES (?, ?)", (n, "x" * 10))


def _log_frames(path: Path) -> tuple[int, int]:
    """(frames in the log, frames already copied) as another connection sees them, without
    copying any (a NOOP-like PASSIVE checkpoint would copy; a second reader holding a snapshot
    keeps it from doing so)."""
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM filler").fetchone()
        probe = sqlite3.connect(path, isolation_level=None)
        try:
            row = probe.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            probe.close()
        reader.execute("COMMIT")
    finally:
        reader.close()
    return int(row[1]), int(row[2])


def test_the_serving_connection_stops_checkpointing_and_the_offloaded_one_does(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path / "calma.db")
    try:
        checkpoints = store.offload_checkpoints()
        _fill(store, 1500)
        frames, _ = _log_frames(tmp_path / "calma.db")
        # With the automatic checkpoint on, the log would have been copied and restarted
        # at 1,000 frames; offloaded, every commit is still in it.
        assert frames > AUTOCHECKPOINT_PAGES
        taken = checkpoints.take()
        assert taken is not None and taken[0] == taken[1] > AUTOCHECKPOINT_PAGES
        assert store.db.conn.execute("SELECT count(*) FROM filler").fetchone()[0] == 1500
    finally:
        store.close()
    assert not (tmp_path / "calma.db-wal").exists() or (
        (tmp_path / "calma.db-wal").stat().st_size == 0
    )
    reopened = sqlite3.connect(tmp_path / "calma.db")
    assert reopened.execute("SELECT count(*) FROM filler").fetchone()[0] == 1500
    reopened.close()


def test_a_take_after_close_does_nothing_and_a_refusal_is_not_raised(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "calma.db")
    checkpoints = store.offload_checkpoints()
    assert store.offload_checkpoints() is checkpoints  # one per store
    store.close()
    assert checkpoints.take() is None
    gone = SqliteStore(tmp_path / "other.db").offload_checkpoints()
    (tmp_path / "other.db").unlink()
    (tmp_path / "other.db").mkdir()  # the path is now a directory: SQLite refuses it
    assert gone.take() is None


def test_a_take_from_worker_threads_while_the_loop_writes(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "calma.db")
    checkpoints = store.offload_checkpoints()

    async def run() -> None:
        for _ in range(5):
            _fill(store, 300)
            await asyncio.to_thread(checkpoints.take)

    control = SqliteStore(tmp_path / "control.db")
    control.offload_checkpoints()  # never taken: the log keeps every frame
    try:
        asyncio.run(run())
        _fill(control, 1500)
        assert store.db.conn.execute("SELECT count(*) FROM filler").fetchone()[0] == 1500
        frames, _ = _log_frames(tmp_path / "calma.db")
        untaken, _ = _log_frames(tmp_path / "control.db")
        # Taken as it went, the log restarted after each round instead of holding all five.
        assert frames * 3 < untaken
    finally:
        store.close()
        control.close()


def test_a_long_log_ends_with_a_restart_attempt(tmp_path: Path) -> None:
    """Under steady writes a PASSIVE checkpoint always trails the last commit, so the log never
    starts over and its -shm index (mapped in the process) grows with every event: past
    RESTART_FRAMES frames the round ends with a RESTART that never waits; below, PASSIVE alone."""
    from bot.store.sqlite import checkpoint

    store = SqliteStore(tmp_path / "calma.db")
    taker = store.offload_checkpoints()
    assert taker is not None
    statements: list[str] = []
    try:
        _fill(store, 10)
        assert taker.take() is not None
        assert taker._conn is not None
        taker._conn.set_trace_callback(statements.append)
        _fill(store, 10)
        taker.take()
        assert not any("RESTART" in s for s in statements)
        _fill(store, checkpoint.RESTART_FRAMES + 100)
        row = taker.take()
        assert any("RESTART" in s for s in statements)
        assert row is not None and row[0] == row[1]  # all copied: the next commit starts over
        _fill(store, 1)
        assert _log_frames(store.path)[0] < 10
    finally:
        taker.close()
        store.close()
