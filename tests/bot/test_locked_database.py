"""A database locked by another process for a while: no reminder is lost, none is sent twice.

The lock is real: a second sqlite3 connection holds a write transaction (in WAL mode readers go
on, writers wait `busy_timeout` and then fail), as a sqlite3 shell or a second Calma would.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import reminders
from bot.model import PrivateNotice
from bot.ports import SystemClock
from bot.reminders import SAVE_RETRY, ReminderScheduler
from bot.store import NewReminder, SqliteStore
from bot.timers import ApsTimers
from tests.bot.conftest import T0, RecordingNotifier, render_reminder
from tests.bot.service_kit import Kit, only, text_of
from tests.fakes import FakeClock, FakeTimers


@contextmanager
def locked(db: Path) -> Iterator[None]:
    """Hold the write lock from another connection."""
    other = sqlite3.connect(db)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()


def promise(due_minutes: float) -> NewReminder:
    return NewReminder(
        platform="slack",
        workspace="T1",
        user="U1",
        channel="C1",
        text="le llamo en un rato",
        due_at=T0 + timedelta(minutes=due_minutes),
    )


def quick_store(db: Path, clock: FakeClock) -> SqliteStore:
    return SqliteStore(db, clock=clock, busy_timeout=0.05)


Rig = tuple[SqliteStore, ReminderScheduler, FakeTimers, RecordingNotifier]


@pytest.fixture
def rig(db_path: Path, clock: FakeClock) -> Iterator[Rig]:
    """A started scheduler over a store that gives up on a lock after 50 ms."""
    store, notifier, timers = quick_store(db_path, clock), RecordingNotifier(), FakeTimers(clock)
    scheduler = ReminderScheduler(store, notifier, timers, clock, render_reminder)
    scheduler.start()
    yield store, scheduler, timers, notifier
    store.close()


async def test_a_reminder_refused_by_a_locked_database_is_written_later_and_delivered(
    rig: Rig, db_path: Path, clock: FakeClock
) -> None:
    store, scheduler, timers, notifier = rig
    with locked(db_path):
        assert scheduler.add_or_keep(promise(1)) is None
        assert scheduler.unsaved == 1
        assert len(timers) == 0  # held in the write-back queue, never armed as a reminder
        clock.advance(SAVE_RETRY)
        await timers.run_due()  # still locked: kept, tried again later
        assert scheduler.unsaved == 1 and store.pending_reminders() == []
    clock.advance(SAVE_RETRY)
    await timers.run_due()
    (row,) = store.pending_reminders()
    assert scheduler.unsaved == 0 and row.text == "le llamo en un rato"
    clock.advance(timedelta(minutes=1))
    await timers.run_due()
    assert notifier.ids() == [row.id]
    clock.advance(timedelta(hours=1))
    await timers.run_due()
    assert notifier.ids() == [row.id]


async def test_a_reminder_still_unwritten_when_due_fires_once_written(
    rig: Rig, db_path: Path, clock: FakeClock
) -> None:
    _store, scheduler, timers, notifier = rig
    with locked(db_path):
        assert scheduler.add_or_keep(promise(0.1)) is None
        clock.advance(timedelta(minutes=3))
        await timers.run_due()
    clock.advance(SAVE_RETRY)
    await timers.run_due()  # written, already due: armed at once
    await timers.run_due()
    assert len(notifier.sent) == 1 and notifier.sent[0].card.title.startswith("(late)")


async def sent_but_not_recorded(rig: Rig, db_path: Path, clock: FakeClock) -> int:
    """A reminder due in a minute, sent while the database is locked (recording it fails)."""
    _store, scheduler, timers, notifier = rig
    row = scheduler.add(promise(1))
    clock.advance(timedelta(minutes=1))
    with locked(db_path):
        await timers.run_due()
    assert notifier.ids() == [row.id]
    return row.id


async def test_a_send_not_recorded_then_snoozed_fires_again_at_the_new_time(
    rig: Rig, db_path: Path, clock: FakeClock
) -> None:
    store, scheduler, timers, notifier = rig
    row_id = await sent_but_not_recorded(rig, db_path, clock)
    assert scheduler.snooze(row_id, clock.now() + timedelta(hours=1)) is not None
    clock.advance(timedelta(hours=1))
    await timers.run_due()
    assert notifier.ids() == [row_id, row_id]  # the snoozed reminder came back
    sent = store.get_reminder(row_id)
    assert sent is not None and sent.status == "sent"


async def test_a_send_not_recorded_then_done_is_not_sent_again(
    rig: Rig, db_path: Path, clock: FakeClock
) -> None:
    store, scheduler, timers, notifier = rig
    row_id = await sent_but_not_recorded(rig, db_path, clock)
    assert scheduler.done(row_id)
    clock.advance(timedelta(hours=2))
    await timers.run_due()
    assert notifier.ids() == [row_id]
    done = store.get_reminder(row_id)
    assert done is not None and done.status == "done"


def locked_kit(db_path: Path, clock: FakeClock) -> Kit:
    return Kit(db_path, clock, busy_timeout=0.05)


async def test_a_promise_in_a_line_written_while_the_database_is_locked_is_kept(
    db_path: Path, clock: FakeClock
) -> None:
    kit = locked_kit(db_path, clock)
    with locked(db_path):
        notice = only(kit.say("Le llamo mañana a las 10."))
    assert isinstance(notice, PrivateNotice) and notice.user == "U1"
    assert "base de datos no responde" in text_of([notice])
    assert "mañana a las 10:00" in text_of([notice])
    assert kit.store.pending_reminders() == []
    kit.advance(seconds=SAVE_RETRY.total_seconds())
    await kit.timers.run_due()
    (row,) = kit.store.pending_reminders()
    assert row.text == "Le llamo mañana a las 10" and row.user == "U1"
    kit.advance(days=1, hours=8)  # T0 is 03:00 in Mexico City: past 10:00 tomorrow
    await kit.timers.run_due()
    assert kit.notifier.ids() == [row.id]
    kit.store.close()


async def test_recordar_while_the_database_is_locked_is_kept_and_says_so(
    db_path: Path, clock: FakeClock
) -> None:
    kit = locked_kit(db_path, clock)
    kit.coach("ayuda")  # the workspace and user exist: the command itself only reads
    with locked(db_path):
        notice = only(kit.coach("recordar llamar a Ana en 2 horas"))
    assert "base de datos no responde" in text_of([notice])
    kit.advance(seconds=SAVE_RETRY.total_seconds())
    await kit.timers.run_due()
    (row,) = kit.store.pending_reminders()
    assert row.text == "llamar a Ana"  # the note without its time phrase
    kit.store.close()


def test_shutdown_writes_a_kept_reminder_once_the_lock_is_gone(
    rig: Rig, db_path: Path, clock: FakeClock
) -> None:
    store, scheduler, _timers, _notifier = rig
    with locked(db_path):
        assert scheduler.add_or_keep(promise(60)) is None
    scheduler.shutdown()
    assert scheduler.unsaved == 0
    (row,) = store.pending_reminders()
    assert row.due_at == T0 + timedelta(minutes=60)


async def test_the_write_back_runs_on_apscheduler_and_the_stored_reminder_fires(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real scheduler: a refused reminder is written by the `reminders:write-back` job."""
    monkeypatch.setattr(reminders, "SAVE_RETRY", timedelta(seconds=0.2))
    store = SqliteStore(db_path, clock=SystemClock(), busy_timeout=0.05)
    notifier, timers = RecordingNotifier(), ApsTimers()
    scheduler = ReminderScheduler(store, notifier, timers, SystemClock(), render_reminder)
    scheduler.start()
    try:
        with locked(db_path):
            due = datetime.now(UTC) + timedelta(seconds=0.3)
            assert scheduler.add_or_keep(replace(promise(0), due_at=due)) is None
        assert len(timers) == 0 and scheduler.unsaved == 1
        deadline = time.monotonic() + 5
        while not notifier.sent and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
    finally:
        scheduler.shutdown()
    assert scheduler.unsaved == 0 and len(notifier.sent) == 1
    assert store.pending_reminders() == []  # written, then sent
    store.close()


async def test_seguimientos_lists_a_promise_waiting_in_memory_marked_not_yet_saved(
    db_path: Path, clock: FakeClock
) -> None:
    kit = locked_kit(db_path, clock)
    kit.coach("ayuda")
    with locked(db_path):
        kit.say("Le llamo mañana a las 10.")
        listed = text_of(kit.coach("seguimientos"))  # the list only reads: the lock allows it
    assert "No tienes seguimientos pendientes" not in listed
    assert "«Le llamo mañana a las 10»" in listed and "aún sin guardar" in listed
    kit.advance(seconds=SAVE_RETRY.total_seconds())
    await kit.timers.run_due()  # written now: listed as any other
    listed = text_of(kit.coach("seguimientos"))
    assert "«Le llamo mañana a las 10»" in listed and "aún sin guardar" not in listed
    kit.store.close()


async def test_a_reminder_cut_short_mid_send_by_a_crash_is_not_sent_again(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal says "being delivered" before the door is asked: at most once across a crash."""
    kit = Kit(db_path, clock, journal=True)
    kit.say("Le llamo mañana a las 10.")
    (row,) = kit.store.pending_reminders()
    never = asyncio.Event()

    async def stuck(message: object) -> None:  # the door took it, then the process died
        await never.wait()

    monkeypatch.setattr(kit.notifier, "deliver", stuck)
    kit.advance(days=1, hours=8)
    sending = asyncio.create_task(kit.service.reminders.deliver(row.id))
    await asyncio.sleep(0.01)
    sending.cancel()  # the crash: neither "sent" nor "failed" is journalled
    monkeypatch.undo()
    kit.restart()
    await kit.timers.run_due()
    assert kit.notifier.ids() == []  # not sent a second time
    assert kit.store.get_reminder(row.id).status == "sent"
    assert kit.journal is not None and not kit.journal.path.exists()
    kit.store.close()
