"""SqliteStore: schema, migrations, every method, dedupe, atomic delivery claims, clear errors."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.store import (
    FollowupStats,
    NewNudge,
    NewReminder,
    SqliteStore,
    Store,
    StoreError,
    StoreLocked,
    StoreReadOnly,
)
from bot.store.base import EXCERPT_MAX
from bot.store.convert import to_iso
from tests.bot.conftest import T0
from tests.fakes import FakeClock

P, W = "slack", "T1"


def promise(
    user: str = "U1", due: datetime = T0 + timedelta(hours=1), text: str = "le llamo"
) -> NewReminder:
    return NewReminder(
        platform=P,
        workspace=W,
        user=user,
        channel="C1",
        text=text,
        due_at=due,
        thread="1700000000.000100",
        message_ref="1700000000.000200",
        permalink="https://example.slack.com/archives/C1/p1700000000000200",
        lang="es",
    )


def nudge(
    user: str = "U1", rule: str = "deberia", category: str = "judgement", at: datetime = T0
) -> NewNudge:
    return NewNudge(P, W, user, "C1", rule, category, "usted debería haber leído", at)


def test_is_a_store(store: SqliteStore) -> None:
    typed: Store = store  # mypy checks the protocol is met
    assert typed is store


# ---- schema ----


def test_migrations_apply_once_and_reopen_is_idempotent(db_path: Path, clock: FakeClock) -> None:
    SqliteStore(db_path, clock=clock).close()
    again = SqliteStore(db_path, clock=clock)
    applied = list(again.db.query("SELECT migration_set, name FROM _sqlite_migrations"))
    assert applied == [{"migration_set": "calma", "name": "m001_initial"}]
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


def test_naive_datetimes_are_refused(store: SqliteStore) -> None:
    with pytest.raises(ValueError, match="naive"):
        store.add_reminder(promise(due=datetime(2026, 11, 9, 10, 0)))


# ---- workspaces and users ----


def test_workspace_defaults_and_updates(store: SqliteStore) -> None:
    assert store.get_workspace(P, W) is None
    ws = store.ensure_workspace(P, W, installer="U9", default_tz="America/Mexico_City")
    assert (ws.default_lang, ws.default_tz, ws.daily_cap, ws.reminder_lead_minutes) == (
        "es",
        "America/Mexico_City",
        20,
        0,
    )
    assert ws.installer == "U9"
    updated = store.update_workspace(P, W, daily_cap=5, reminder_lead_minutes=10)
    assert (updated.daily_cap, updated.reminder_lead_minutes, updated.default_tz) == (
        5,
        10,
        "America/Mexico_City",
    )
    assert store.ensure_workspace(P, W, installer="someone else").installer == "U9"
    assert store.update_workspace("teams", "tenant", default_lang="en").default_lang == "en"


def test_user_settings_mute_and_roles(store: SqliteStore, clock: FakeClock) -> None:
    assert store.get_user(P, W, "U1") is None
    store.set_user_settings(P, W, "U1", tz="Europe/Madrid")
    user = store.set_user_settings(P, W, "U1", lang="en")
    assert (user.tz, user.lang, user.role, user.muted_until) == (
        "Europe/Madrid",
        "en",
        "agent",
        None,
    )
    assert user.updated_at == clock.now()
    until = clock.now() + timedelta(hours=1)
    assert store.mute(P, W, "U1", until).muted_until == until
    assert store.mute(P, W, "U1", None).muted_until is None
    store.set_role(P, W, "U2", "lead")
    store.set_role(P, W, "U1", "lead")
    assert store.leads(P, W) == ["U1", "U2"]
    store.set_role(P, W, "U1", "agent")
    assert store.leads(P, W) == ["U2"]
    assert store.get_user(P, W, "U1").tz == "Europe/Madrid"  # type: ignore[union-attr]
    assert store.leads(P, "other") == []


def test_channel_pause(store: SqliteStore) -> None:
    assert not store.is_channel_paused(P, W, "C1")
    store.set_channel_paused(P, W, "C1", True)
    assert store.is_channel_paused(P, W, "C1")
    assert not store.is_channel_paused(P, W, "C2")
    store.set_channel_paused(P, W, "C1", False)
    assert not store.is_channel_paused(P, W, "C1")


def test_customers(store: SqliteStore) -> None:
    assert store.add_customer(P, W, "UC1")
    assert not store.add_customer(P, W, "UC1")
    store.add_customer(P, W, "UC2")
    assert store.customers(P, W) == {"UC1", "UC2"}
    assert store.remove_customer(P, W, "UC1")
    assert not store.remove_customer(P, W, "UC1")
    assert store.customers(P, W) == {"UC2"}


def test_rekey_user_moves_a_lead_stored_under_a_teams_member_id(store: SqliteStore) -> None:
    old, new = "29:1Ana", "a1a2a3a4-aad"
    store.set_role("teams", "t1", old, "lead")
    store.set_role("teams", "t1", "lucia", "lead")
    assert store.rekey_user("teams", "t1", old, new)
    assert store.leads("teams", "t1") == sorted(["lucia", new])
    assert store.get_user("teams", "t1", old) is None
    assert not store.rekey_user("teams", "t1", old, new)  # nothing left to move


def test_rekey_user_keeps_the_settings_already_under_the_new_id(store: SqliteStore) -> None:
    old, new = "29:1Ana", "a1a2a3a4-aad"
    store.set_user_settings("teams", "t1", new, tz="Europe/Madrid", lang="en")
    store.set_role("teams", "t1", old, "lead")
    assert store.rekey_user("teams", "t1", old, new)
    row = store.get_user("teams", "t1", new)
    assert row is not None and (row.role, row.tz, row.lang) == ("lead", "Europe/Madrid", "en")
    assert store.get_user("teams", "t1", old) is None
    # an agent row under the old id never demotes a lead under the new one
    store.set_role("teams", "t1", old, "agent")
    assert store.rekey_user("teams", "t1", old, new)
    assert store.leads("teams", "t1") == [new]


def test_rekey_user_moves_a_customer_listing(store: SqliteStore) -> None:
    store.add_customer("teams", "t1", "29:1Carlos")
    store.add_customer("teams", "t2", "29:1Carlos")  # another tenant is left alone
    assert store.rekey_user("teams", "t1", "29:1Carlos", "c1c2-aad")
    assert store.customers("teams", "t1") == {"c1c2-aad"}
    assert store.customers("teams", "t2") == {"29:1Carlos"}
    assert store.get_user("teams", "t1", "c1c2-aad") is None  # no user row made up
    store.add_customer("teams", "t1", "29:1Carlos")
    assert store.rekey_user("teams", "t1", "29:1Carlos", "c1c2-aad")  # already listed: merged
    assert store.customers("teams", "t1") == {"c1c2-aad"}


def test_rekey_user_with_nothing_to_move_writes_nothing(store: SqliteStore) -> None:
    changes = store.db.conn.total_changes
    assert not store.rekey_user("teams", "t1", "29:1Nadie", "aad")
    assert not store.rekey_user("teams", "t1", "same", "same")
    assert store.db.conn.total_changes == changes


def test_rules_disable_enable(store: SqliteStore) -> None:
    assert store.disable_rule(P, W, "deberia", by="U9")
    assert not store.disable_rule(P, W, "deberia")
    assert store.disabled_rules(P, W) == {"deberia"}
    assert store.disabled_rules(P, "other") == frozenset()
    assert store.enable_rule(P, W, "deberia")
    assert not store.enable_rule(P, W, "deberia")
    assert store.disabled_rules(P, W) == frozenset()


# ---- nudges, feedback, fatigue counters ----


def test_record_nudge_keeps_only_an_excerpt(store: SqliteStore) -> None:
    long_line = "usted debería " + "x" * 1000
    row = store.record_nudge(NewNudge(P, W, "U1", "C1", "deberia", "judgement", long_line, T0))
    assert len(row.excerpt) == EXCERPT_MAX
    assert row.excerpt.endswith("…")
    assert store.get_nudge(row.id) == row
    assert row.outcome is None and row.created_at == T0


def test_nudge_outcome_and_feedback(store: SqliteStore) -> None:
    row = store.record_nudge(nudge())
    assert store.set_nudge_outcome(row.id, "not_applicable", user="U1", at=T0)
    assert store.get_nudge(row.id).outcome == "not_applicable"  # type: ignore[union-attr]
    store.record_feedback(row.id, user="U1", kind="muted", at=T0 + timedelta(seconds=5))
    assert store.feedback(row.id) == [
        ("U1", "not_applicable", T0),
        ("U1", "muted", T0 + timedelta(seconds=5)),
    ]
    assert not store.set_nudge_outcome(9999, "useful", user="U1", at=T0)


def test_count_nudges_per_day_and_per_rule_window(store: SqliteStore) -> None:
    for minutes, rule in [(0, "deberia"), (3, "deberia"), (12, "pero"), (30, "deberia")]:
        store.record_nudge(nudge(rule=rule, at=T0 + timedelta(minutes=minutes)))
    store.record_nudge(nudge(user="U2", at=T0))
    store.record_nudge(nudge(at=T0 - timedelta(days=1)))
    assert store.count_nudges(P, W, "U1", since=T0) == 4
    assert store.count_nudges(P, W, "U1", since=T0 - timedelta(days=2)) == 5
    window = T0 + timedelta(minutes=30) - timedelta(minutes=10)
    assert store.count_nudges(P, W, "U1", since=window, rule="deberia") == 1
    assert store.count_nudges(P, W, "U1", since=window, rule="pero") == 0
    assert store.count_nudges(P, W, "U2", since=T0) == 1


def test_team_stats(store: SqliteStore) -> None:
    since, until = T0, T0 + timedelta(days=7)
    a = store.record_nudge(nudge("U1", "deberia", "judgement", T0 + timedelta(hours=1)))
    b = store.record_nudge(nudge("U1", "deberia", "judgement", T0 + timedelta(hours=2)))
    store.record_nudge(nudge("U2", "pero", "defensive", T0 + timedelta(hours=3)))
    store.record_nudge(nudge("U3", "deberia", "judgement", T0 - timedelta(hours=1)))  # before
    store.set_nudge_outcome(a.id, "not_applicable", user="U1", at=T0)
    store.set_nudge_outcome(b.id, "useful", user="U1", at=T0)
    due = T0 + timedelta(days=1)
    on_time = store.add_reminder(promise("U1", due))
    late = store.add_reminder(promise("U1", due))
    store.add_reminder(promise("U2", due))  # still open
    cancelled = store.add_reminder(promise("U2", due))
    store.add_reminder(promise("U2", until + timedelta(hours=1)))  # due after the window
    store.mark_done(on_time.id, due + timedelta(minutes=20))
    store.mark_done(late.id, due + timedelta(hours=3))
    store.cancel_reminder(cancelled.id)

    stats = store.team_stats(P, W, since=since, until=until)

    assert stats.nudges == 3
    assert stats.by_category == (("judgement", 2), ("defensive", 1))
    deberia = next(r for r in stats.by_rule if r.rule == "deberia")
    assert (deberia.nudges, deberia.useful, deberia.not_applicable) == (2, 1, 1)
    assert deberia.not_applicable_rate == 0.5
    assert stats.followups == FollowupStats(on_time=1, late=1, open=1, cancelled=1)
    assert [(s.user, s.nudges, s.not_applicable) for s in stats.agents] == [
        ("U1", 2, 1),
        ("U2", 1, 0),
    ]
    assert stats.agents[0].followups == FollowupStats(on_time=1, late=1)
    assert stats.agents[1].followups == FollowupStats(open=1, cancelled=1)
    strict = store.team_stats(P, W, since=since, until=until, on_time_grace=timedelta(minutes=10))
    assert strict.followups.on_time == 0 and strict.followups.late == 2


# ---- dedupe and conversation references ----


def test_mark_seen_dedupes_and_prunes(store: SqliteStore, clock: FakeClock, db_path: Path) -> None:
    assert store.mark_seen(P, "Ev1")
    assert not store.mark_seen(P, "Ev1")
    assert store.mark_seen("teams", "Ev1")  # per platform
    other = SqliteStore(db_path, clock=clock)  # a second connection sees the same ids
    assert not other.mark_seen(P, "Ev1")
    other.close()
    clock.advance(timedelta(days=8))
    assert store.mark_seen(P, "Ev2")
    assert store.prune_seen(older_than_days=7) == 2
    assert store.mark_seen(P, "Ev1")  # forgotten after the prune
    assert not store.mark_seen(P, "Ev2")


def test_conversation_refs(store: SqliteStore) -> None:
    assert store.conversation_ref("teams", "tenant", "29:1") is None
    store.save_conversation_ref("teams", "tenant", "29:1", '{"a": 1}')
    store.save_conversation_ref("teams", "tenant", "29:1", '{"a": 2}')
    assert store.conversation_ref("teams", "tenant", "29:1") == '{"a": 2}'


# ---- reminders ----


def test_reminder_crud(store: SqliteStore, clock: FakeClock) -> None:
    first = store.add_reminder(promise(due=T0 + timedelta(hours=2)))
    second = store.add_reminder(promise(due=T0 + timedelta(hours=1), text="  le escribo  "))
    other = store.add_reminder(promise(user="U2", due=T0 + timedelta(hours=3)))
    assert second.text == "le escribo"
    assert store.get_reminder(first.id) == first
    assert first.status == "pending" and first.created_at == clock.now() and not first.late
    assert [r.id for r in store.pending_reminders()] == [second.id, first.id, other.id]
    assert sorted(store.pending_due_times()) == [
        (first.id, first.due_at),
        (second.id, second.due_at),
        (other.id, other.due_at),
    ]
    assert [r.id for r in store.reminders_due_before(T0 + timedelta(hours=1))] == [second.id]
    assert [r.id for r in store.reminders_for_user(P, W, "U1")] == [second.id, first.id]

    assert store.mark_sent(second.id, T0 + timedelta(hours=1), late=False)
    sent = store.get_reminder(second.id)
    assert sent is not None and sent.status == "sent" and sent.sent_at == T0 + timedelta(hours=1)
    assert [r.id for r in store.reminders_for_user(P, W, "U1", ("pending", "sent"))] == [
        second.id,
        first.id,
    ]
    assert store.reminders_for_user(P, W, "U1", ()) == []

    snoozed = store.snooze(second.id, T0 + timedelta(hours=5))
    assert snoozed is not None
    assert (snoozed.status, snoozed.due_at, snoozed.sent_at) == (
        "pending",
        T0 + timedelta(hours=5),
        None,
    )

    assert store.record_failure(first.id, "ConnectionError: down") == 1
    assert store.record_failure(first.id, "ConnectionError: down again") == 2
    failed = store.get_reminder(first.id)
    assert (
        failed is not None
        and failed.attempts == 2
        and failed.last_error == "ConnectionError: down again"
    )
    assert failed.status == "pending"

    assert store.mark_done(first.id, T0 + timedelta(hours=2))
    assert not store.mark_done(first.id, T0 + timedelta(hours=2))
    assert store.get_reminder(first.id).done_at == T0 + timedelta(hours=2)  # type: ignore[union-attr]
    assert store.cancel_reminder(other.id)
    assert not store.cancel_reminder(other.id)
    assert store.snooze(other.id, T0 + timedelta(days=1)) is None  # cancelled stays cancelled
    assert not store.mark_sent(other.id, T0, late=False)
    assert store.get_reminder(424242) is None
    assert [r.id for r in store.pending_reminders()] == [second.id]


def test_mark_sent_with_due_at_loses_to_a_snooze(store: SqliteStore) -> None:
    row = store.add_reminder(promise())
    store.snooze(row.id, row.due_at + timedelta(hours=1))
    assert not store.mark_sent(row.id, row.due_at, late=False, due_at=row.due_at)
    assert store.get_reminder(row.id).status == "pending"  # type: ignore[union-attr]
    assert store.mark_sent(row.id, row.due_at, late=False, due_at=row.due_at + timedelta(hours=1))


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
from tests.bot.store.test_sqlite import promise
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


def test_read_only_file_raises_store_read_only(clock: FakeClock) -> None:
    folder = Path(tempfile.mkdtemp(prefix="calma-ro-"))
    try:
        db_path = folder / "calma.db"
        SqliteStore(db_path, clock=clock).close()
        db_path.chmod(0o444)
        folder.chmod(0o555)
        done = subprocess.run(
            [sys.executable, "-c", _READ_ONLY_PROBE, str(db_path)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[3],
            timeout=60,
        )
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


def test_aware_non_utc_instants_come_back_in_utc(store: SqliteStore) -> None:
    madrid = datetime(2026, 11, 9, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    row = store.add_reminder(promise(due=madrid))
    stored = store.get_reminder(row.id)
    assert stored is not None and stored.due_at == madrid
    assert stored.due_at.utcoffset() == timedelta(0) and stored.due_at.hour == 9
