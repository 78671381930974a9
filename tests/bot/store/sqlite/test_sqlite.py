"""SqliteStore: schema, migrations, every method, dedupe, atomic delivery claims, clear errors."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.store import (
    SqliteStore,
    StoreError,
    StoreLocked,
    StoreReadOnly,
)
from bot.store.convert import to_iso
from tests.bot.conftest import T0
from tests.bot.store.rows import promise
from tests.fakes import FakeClock


def test_a_second_connection_sees_the_same_event_ids(
    store: SqliteStore, clock: FakeClock, db_path: Path
) -> None:
    assert store.mark_seen("slack", "Ev1")
    other = SqliteStore(db_path, clock=clock)
    assert not other.mark_seen("slack", "Ev1")
    other.close()


# ---- schema ----


def test_migrations_apply_once_and_reopen_is_idempotent(db_path: Path, clock: FakeClock) -> None:
    SqliteStore(db_path, clock=clock).close()
    again = SqliteStore(db_path, clock=clock)
    applied = list(again.db.query("SELECT migration_set, name FROM _sqlite_migrations"))
    names = [row["name"] for row in applied if row["migration_set"] == "calma"]
    assert names[0] == "m001_initial" and "m002_digests" in names
    assert names[4:] == [
        "m005_reminder_claims",
        "m006_inbox",
        "m007_outbox",
        "m008_open_questions",
        "m009_unpinned_zones",
    ]
    assert len(names) == len(set(names))  # each once
    tables = set(again.db.table_names())
    assert {
        "workspaces",
        "users",
        "channels",
        "customers",
        "rules_disabled",
        "nudges",
        "feedback",
        "reminders",
        "seen_events",
        "conversation_refs",
        "episodes",
        "digest_slots",
    } <= tables
    again.close()


def test_wal_busy_timeout_and_synchronous(store: SqliteStore) -> None:
    assert store.db.journal_mode == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


@given(
    st.datetimes(
        min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1), timezones=st.timezones()
    ),
    st.datetimes(
        min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1), timezones=st.timezones()
    ),
)
def test_stored_instants_sort_as_text_in_time_order(a: datetime, b: datetime) -> None:
    assert (to_iso(a) < to_iso(b)) == (a < b)
    assert (to_iso(a) == to_iso(b)) == (a == b)


@given(st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1)))
def test_the_clocks_utc_instants_keep_one_width(naive: datetime) -> None:
    for moment in (naive.replace(tzinfo=UTC), naive.replace(tzinfo=UTC, microsecond=0)):
        assert to_iso(moment) == moment.isoformat(timespec="microseconds")
        assert len(to_iso(moment)) == len("2026-11-09T09:00:00.000000+00:00")


# ---- workspaces and users ----


# ---- nudges, feedback, fatigue counters ----


# ---- dedupe and conversation references ----


# ---- reminders ----


def test_mark_sent_wins_once_under_two_callers(db_path: Path, clock: FakeClock) -> None:
    setup = SqliteStore(db_path, clock=clock)
    ids = [setup.add_reminder(promise()).id for _ in range(40)]
    setup.close()
    stores = [SqliteStore(db_path, clock=clock) for _ in range(2)]
    wins: list[list[int]] = [[], []]
    barrier = threading.Barrier(2)

    def claim(k: int) -> None:
        # each thread gets its own connection: sqlite3 objects stay on the thread that uses them
        mine = SqliteStore(db_path, clock=clock)
        barrier.wait()
        for reminder_id in ids:
            if mine.mark_sent(reminder_id, T0, late=False):
                wins[k].append(reminder_id)
        mine.close()

    threads = [threading.Thread(target=claim, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins[0] + wins[1]) == ids  # every reminder claimed exactly once
    assert not set(wins[0]) & set(wins[1])
    assert all(not s.mark_sent(ids[0], T0, late=False) for s in stores)
    for s in stores:
        s.close()


def test_reminder_survives_close_and_reopen(db_path: Path, clock: FakeClock) -> None:
    first = SqliteStore(db_path, clock=clock)
    row = first.add_reminder(promise())
    first.close()
    reopened = SqliteStore(db_path, clock=clock)
    assert reopened.get_reminder(row.id) == row
    assert reopened.pending_due_times() == [(row.id, row.due_at)]
    reopened.close()


# ---- errors ----


def test_locked_database_raises_store_locked_and_loses_nothing(
    db_path: Path, clock: FakeClock
) -> None:
    store = SqliteStore(db_path, clock=clock, busy_timeout=0.2)
    holder = sqlite3.connect(db_path, timeout=0.1, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO seen_events VALUES ('x', 'y', 'z')")
    started = time.monotonic()
    with pytest.raises(StoreLocked) as caught:
        store.add_reminder(promise())
    waited = time.monotonic() - started
    assert isinstance(caught.value, StoreError)
    message = str(caught.value)
    assert str(db_path) in message and "locked" in message and "0.2 s" in message
    assert "Traceback" not in message and "OperationalError" not in message
    assert waited >= 0.15  # it waited for the busy timeout before giving up
    assert store.pending_reminders() == []  # readers are not blocked under WAL
    holder.execute("ROLLBACK")
    holder.close()
    row = store.add_reminder(promise())  # the caller's retry succeeds once the lock is gone
    assert store.get_reminder(row.id) == row
    store.close()


def test_opening_waits_for_a_brief_lock_and_gives_up_after_the_busy_timeout(
    db_path: Path, clock: FakeClock
) -> None:
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN EXCLUSIVE")  # a new file that Calma has not migrated yet
    started = time.monotonic()
    with pytest.raises(StoreLocked):  # migrations read, then write: locked at once without a wait
        SqliteStore(db_path, clock=clock, busy_timeout=0.3)
    assert time.monotonic() - started >= 0.25
    threading.Timer(0.3, holder.rollback).start()
    store = SqliteStore(db_path, clock=clock, busy_timeout=5)  # the lock goes away meanwhile
    row = store.add_reminder(promise())
    assert store.get_reminder(row.id) == row
    store.close()
    holder.execute("BEGIN EXCLUSIVE")  # a migrated file opens at once, even locked: reads only
    SqliteStore(db_path, clock=clock, busy_timeout=0.3).close()
    holder.rollback()
    holder.close()


def test_update_workspace_waits_for_a_brief_lock(store: SqliteStore, db_path: Path) -> None:
    store.ensure_workspace("slack", "T1")
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, holder.rollback).start()
    row = store.update_workspace("slack", "T1", daily_cap=7)
    assert row.daily_cap == 7
    holder.close()


def test_read_only_database_raises_store_read_only(store: SqliteStore) -> None:
    store.add_reminder(promise())
    store.db.execute("PRAGMA query_only = ON")  # SQLite answers writes as on a read-only file
    with pytest.raises(StoreReadOnly, match="read-only") as caught:
        store.add_reminder(promise())
    assert "CALMA_DB" in str(caught.value)
    with pytest.raises(StoreReadOnly):
        store.mark_sent(1, T0, late=False)
    assert len(store.pending_reminders()) == 1


_READ_ONLY_PROBE = """
import os, sys
from bot.errors import StoreReadOnly
from bot.store.sqlite import SqliteStore
from tests.bot.store.rows import promise
if os.geteuid() == 0:  # root writes read-only files anyway: drop to nobody once imports are done
    os.setgid(65534)
    os.setuid(65534)
try:
    SqliteStore(sys.argv[1]).add_reminder(promise())
except StoreReadOnly as exc:
    print("read-only:", exc)
    sys.exit(0)
sys.exit("no StoreReadOnly raised")
"""


def _add_as_nobody(db_path: Path) -> subprocess.CompletedProcess[str]:
    """Add a reminder to `db_path` in another process, as an unprivileged user."""
    return subprocess.run(
        [sys.executable, "-c", _READ_ONLY_PROBE, str(db_path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[4],
        timeout=60,
    )


def test_read_only_file_raises_store_read_only(clock: FakeClock) -> None:
    folder = Path(tempfile.mkdtemp(prefix="calma-ro-"))
    try:
        db_path = folder / "calma.db"
        SqliteStore(db_path, clock=clock).close()
        db_path.chmod(0o444)
        folder.chmod(0o555)
        done = _add_as_nobody(db_path)
        assert done.returncode == 0, done.stderr
        assert "read-only" in done.stdout
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_unopenable_path_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Cannot open"):
        SqliteStore(tmp_path / "missing-folder" / "calma.db")


def test_not_a_database_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match="not a Calma database"):
        SqliteStore(path)


def test_a_read_only_shm_left_by_an_earlier_start_is_named_in_the_error(clock: FakeClock) -> None:
    folder = Path(tempfile.mkdtemp(prefix="calma-shm-"))
    try:
        db_path = folder / "calma.db"
        SqliteStore(db_path, clock=clock).close()
        shm = folder / "calma.db-shm"
        shm.write_bytes(b"")
        for path in (folder, db_path, shm):
            os.chown(path, 65534, 65534)
        db_path.chmod(0o644)  # the database was made writable again...
        shm.chmod(0o444)  # ...but the -shm of the read-only start stays read-only
        done = _add_as_nobody(db_path)
        assert done.returncode == 0, done.stderr
        assert f"because {shm} cannot be written" in done.stdout
    finally:
        shutil.rmtree(folder)
