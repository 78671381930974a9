"""ReminderScheduler: due delivery, overdue at start, retries, snooze, cancel, real APScheduler."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.model import DirectMessage
from bot.ports import SystemClock
from bot.reminders import ReminderScheduler, backoff
from bot.store import NewReminder, SqliteStore, StoreLocked
from bot.store.base import ReminderRow
from bot.timers import ApsTimers, DueQueue
from tests.bot.conftest import T0, RecordingNotifier, render_reminder
from tests.fakes import FakeClock, FakeTimers


def promise(due: datetime, user: str = "U1", text: str = "le llamo mañana a las 10") -> NewReminder:
    return NewReminder(
        platform="slack", workspace="T1", user=user, channel="C1", text=text, due_at=due
    )


def make(
    store: SqliteStore, notifier: RecordingNotifier, clock: FakeClock
) -> tuple[ReminderScheduler, FakeTimers]:
    timers = FakeTimers(clock)
    return ReminderScheduler(store, notifier, timers, clock, render_reminder), timers


def started(
    store: SqliteStore, notifier: RecordingNotifier, clock: FakeClock
) -> tuple[ReminderScheduler, FakeTimers]:
    """A scheduler over `store`, started (nothing pending to re-arm)."""
    scheduler, timers = make(store, notifier, clock)
    scheduler.start()
    return scheduler, timers


async def failed_sends(
    scheduler: ReminderScheduler,
    timers: FakeTimers,
    notifier: RecordingNotifier,
    clock: FakeClock,
    due_in: timedelta,
    failures: int,
) -> ReminderRow:
    """A reminder due in `due_in` whose first `failures` sends fail, run at its due time."""
    row = scheduler.add(promise(T0 + due_in))
    notifier.fail_next = failures
    clock.advance(due_in)
    assert await timers.run_due() == [row.id]
    return row


# ---- fake clock ----


async def test_due_reminder_is_delivered_once(
    store: SqliteStore, notifier: RecordingNotifier, clock: FakeClock
) -> None:
    scheduler, timers = started(store, notifier, clock)
    row = scheduler.add(promise(T0 + timedelta(minutes=10)))
    clock.advance(timedelta(minutes=9, seconds=59))
    assert await timers.run_due() == []
    clock.advance(timedelta(seconds=1))
    assert await timers.run_due() == [row.id]
    assert notifier.ids() == [row.id]
    assert notifier.sent[0].card.title == "Follow-up: le llamo mañana a las 10"
    sent = store.get_reminder(row.id)
    assert (
        sent is not None and sent.status == "sent" and sent.sent_at == clock.now() and not sent.late
    )
    clock.advance(timedelta(hours=1))
    assert await timers.run_due() == []
    assert await scheduler.deliver(row.id) is False  # a stray fire does not resend
    assert notifier.ids() == [row.id]


async def test_overdue_at_start_is_delivered_once_and_marked_late(
    store: SqliteStore, notifier: RecordingNotifier, clock: FakeClock
) -> None:
    overdue = store.add_reminder(promise(T0 - timedelta(seconds=30)))
    future = store.add_reminder(promise(T0 + timedelta(hours=1)))
    scheduler, timers = make(store, notifier, clock)
    assert scheduler.start() == 2
    assert await timers.run_due() == [overdue.id]
    assert notifier.ids() == [overdue.id]
    assert notifier.sent[0].card.title.startswith("(late)")
    row = store.get_reminder(overdue.id)
    assert row is not None and row.status == "sent" and row.late
    # a second restart finds nothing to redeliver
    again, again_timers = make(store, notifier, clock)
    assert again.start() == 1
    assert await again_timers.run_due() == []
    clock.advance(timedelta(hours=1))
    assert await again_timers.run_due() == [future.id]
    assert notifier.ids() == [overdue.id, future.id]
    assert not store.get_reminder(future.id).late  # type: ignore[union-attr]


async def test_notifier_failure_is_retried_with_backoff_not_lost(
    store: SqliteStore, notifier: RecordingNotifier, clock: FakeClock
) -> None:
    scheduler, timers = started(store, notifier, clock)
    row = await failed_sends(scheduler, timers, notifier, clock, timedelta(minutes=5), 2)
    failed = store.get_reminder(row.id)
    assert failed is not None and failed.status == "pending" and failed.attempts == 1
    assert failed.last_error == "ConnectionError: platform unreachable"
    assert timers.due_of(row.id) == clock.now() + timedelta(minutes=2)
    clock.advance(timedelta(minutes=1))
    assert await timers.run_due() == []
    clock.advance(timedelta(minutes=1))
    await timers.run_due()
    assert store.get_reminder(row.id).attempts == 2  # type: ignore[union-attr]
    assert timers.due_of(row.id) == clock.now() + timedelta(minutes=4)
    clock.advance(timedelta(minutes=4))
    await timers.run_due()
    assert notifier.ids() == [row.id]
    delivered = store.get_reminder(row.id)
    assert (
        delivered is not None and delivered.status == "sent" and delivered.late
    )  # 6 min after due


async def test_failed_reminder_survives_a_restart(
    db_path: Path, notifier: RecordingNotifier, clock: FakeClock
) -> None:
    store = SqliteStore(db_path, clock=clock)
    scheduler, timers = started(store, notifier, clock)
    row = await failed_sends(scheduler, timers, notifier, clock, timedelta(minutes=5), 1)
    scheduler.shutdown()
    store.close()  # "crash" before the retry
    reopened = SqliteStore(db_path, clock=clock)
    after, after_timers = make(reopened, notifier, clock)
    after.start()
    assert await after_timers.run_due() == [row.id]
    assert notifier.ids() == [row.id]
    reopened.close()


def test_backoff_doubles_up_to_thirty_minutes() -> None:
    assert [backoff(n).total_seconds() / 60 for n in range(1, 8)] == [2, 4, 8, 16, 30, 30, 30]


async def test_snooze_moves_the_timer(
    store: SqliteStore, notifier: RecordingNotifier, clock: FakeClock
) -> None:
    scheduler, timers = started(store, notifier, clock)
    row = scheduler.add(promise(T0 + timedelta(minutes=10)))
    snoozed = scheduler.snooze(row.id, T0 + timedelta(hours=1))
    assert snoozed is not None and snoozed.due_at == T0 + timedelta(hours=1)
    clock.advance(timedelta(minutes=10))
    assert await timers.run_due() == []
    clock.advance(timedelta(minutes=50))
    assert await timers.run_due() == [row.id]
    # snoozing after delivery ("Posponer 1 h" on the DM) makes it pending and fires it again
    assert scheduler.snooze(row.id, clock.now() + timedelta(hours=1)) is not None
    clock.advance(timedelta(hours=1))
    await timers.run_due()
    assert notifier.ids() == [row.id, row.id]


async def test_cancel_and_done_disarm(
    store: SqliteStore, notifier: RecordingNotifier, clock: FakeClock
) -> None:
    scheduler, timers = started(store, notifier, clock)
    cancelled = scheduler.add(promise(T0 + timedelta(minutes=10)))
    done = scheduler.add(promise(T0 + timedelta(minutes=10)))
    assert scheduler.cancel(cancelled.id)
    assert scheduler.done(done.id)
    assert len(timers) == 0
    clock.advance(timedelta(hours=1))
    assert await timers.run_due() == []
    assert await scheduler.deliver(cancelled.id) is False
    assert notifier.sent == []
    assert store.get_reminder(cancelled.id).status == "cancelled"  # type: ignore[union-attr]
    assert store.get_reminder(done.id).status == "done"  # type: ignore[union-attr]
    assert scheduler.snooze(cancelled.id, clock.now()) is None
    assert not scheduler.cancel(cancelled.id)


async def test_hundred_due_in_the_same_second_all_delivered_once(
    store: SqliteStore, notifier: RecordingNotifier, clock: FakeClock
) -> None:
    scheduler, timers = started(store, notifier, clock)
    due = T0 + timedelta(minutes=1)
    ids = [
        scheduler.add(promise(due + timedelta(milliseconds=9 * k), user=f"U{k}")).id
        for k in range(100)
    ]
    clock.advance(timedelta(minutes=1, seconds=1))
    await timers.run_due()
    await timers.run_due()
    assert sorted(notifier.ids()) == ids  # type: ignore[type-var]
    assert store.pending_reminders() == []


async def test_snooze_during_the_send_wins(store: SqliteStore, clock: FakeClock) -> None:
    class SnoozingNotifier(RecordingNotifier):
        async def deliver(self, message: DirectMessage) -> None:
            await super().deliver(message)
            if len(self.sent) == 1:  # the user presses "Posponer" while we are still sending
                assert message.reminder_id is not None
                scheduler.snooze(message.reminder_id, clock.now() + timedelta(hours=1))

    notifier = SnoozingNotifier()
    scheduler, timers = started(store, notifier, clock)
    row = scheduler.add(promise(T0))
    await timers.run_due()
    pending = store.get_reminder(row.id)
    assert pending is not None and pending.status == "pending"
    assert pending.due_at == T0 + timedelta(hours=1)
    clock.advance(timedelta(hours=1))
    await timers.run_due()
    assert notifier.ids() == [row.id, row.id]
    assert store.get_reminder(row.id).status == "sent"  # type: ignore[union-attr]


async def test_sent_but_unrecorded_is_not_resent(
    store: SqliteStore,
    notifier: RecordingNotifier,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scheduler, timers = started(store, notifier, clock)
    row = scheduler.add(promise(T0 + timedelta(minutes=1)))
    real_mark_sent = store.mark_sent
    calls = 0

    def flaky_mark_sent(*args: object, **kwargs: object) -> bool:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise StoreLocked("locked for the test")
        return real_mark_sent(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "mark_sent", flaky_mark_sent)
    clock.advance(timedelta(minutes=1))
    await timers.run_due()
    assert notifier.ids() == [row.id]
    assert store.get_reminder(row.id).status == "pending"  # type: ignore[union-attr]
    clock.advance(timedelta(minutes=1))
    await timers.run_due()
    assert notifier.ids() == [row.id]  # recorded now, not sent twice
    sent = store.get_reminder(row.id)
    assert sent is not None and sent.status == "sent" and sent.sent_at == T0 + timedelta(minutes=1)


def test_due_queue_rearm_and_disarm() -> None:
    queue = DueQueue()
    queue.put_many([(1, T0 + timedelta(seconds=3)), (2, T0 + timedelta(seconds=1)), (3, T0)])
    queue.put(1, T0 + timedelta(seconds=2))  # re-armed earlier: the old entry is dead
    queue.remove(3)
    assert queue.earliest() == T0 + timedelta(seconds=1)
    assert len(queue) == 2
    assert queue.pop_due(T0 + timedelta(seconds=5)) == [2, 1]
    assert queue.earliest() is None and len(queue) == 0
    for k in range(5000):  # lazy deletions are compacted
        queue.put(7, T0 + timedelta(seconds=k))
    assert len(queue._heap) < 3000
    assert queue.pop_due(T0 + timedelta(days=1)) == [7]


# ---- the real APScheduler on a real loop ----


async def _wait_for(predicate: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():  # type: ignore[operator]
        await asyncio.sleep(0.01)


async def test_aps_timers_deliver_a_reminder_once(db_path: Path) -> None:
    clock = SystemClock()
    store = SqliteStore(db_path, clock=clock)
    notifier = RecordingNotifier()
    timers = ApsTimers()
    scheduler = ReminderScheduler(store, notifier, timers, clock, render_reminder)
    scheduler.start()
    due = datetime.now(UTC) + timedelta(seconds=0.2)
    row = scheduler.add(promise(due))
    far = scheduler.add(promise(due + timedelta(days=3)))
    await _wait_for(lambda: notifier.sent, 3.0)
    arrived = datetime.now(UTC)
    await asyncio.sleep(0.3)  # would a second copy arrive?
    scheduler.shutdown()
    assert notifier.ids() == [row.id]
    assert timedelta(0) <= arrived - due < timedelta(seconds=1)
    assert store.get_reminder(row.id).status == "sent"  # type: ignore[union-attr]
    assert store.get_reminder(far.id).status == "pending"  # type: ignore[union-attr]
    store.close()


async def test_aps_timers_fire_what_fell_due_while_down(db_path: Path) -> None:
    clock = SystemClock()
    store = SqliteStore(db_path, clock=clock)
    # stored by an earlier run; it fell due 10 min ago, far beyond APScheduler's 1 s default grace
    row = store.add_reminder(promise(datetime.now(UTC) - timedelta(minutes=10)))
    notifier = RecordingNotifier()
    scheduler = ReminderScheduler(store, notifier, ApsTimers(), clock, render_reminder)
    started = time.monotonic()
    scheduler.start()
    await _wait_for(lambda: notifier.sent, 3.0)
    took = time.monotonic() - started
    await asyncio.sleep(0.2)
    scheduler.shutdown()
    assert notifier.ids() == [row.id]
    assert took < 1.0
    delivered = store.get_reminder(row.id)
    assert delivered is not None and delivered.status == "sent" and delivered.late
    store.close()


async def test_aps_timers_deliver_reminders_due_milliseconds_apart(db_path: Path) -> None:
    clock = SystemClock()
    store = SqliteStore(db_path, clock=clock)
    notifier = RecordingNotifier()
    scheduler = ReminderScheduler(store, notifier, ApsTimers(), clock, render_reminder)
    scheduler.start()
    first = datetime.now(UTC) + timedelta(seconds=0.2)
    ids = [scheduler.add(promise(first + timedelta(milliseconds=2 * k))).id for k in range(30)]
    await _wait_for(lambda: len(notifier.sent) >= 30, 3.0)
    await asyncio.sleep(0.2)
    scheduler.shutdown()
    assert sorted(notifier.ids()) == ids  # type: ignore[type-var]
    store.close()


# ---- the horizon: only rows due within it are armed ----


async def _hourly_until(timers: FakeTimers, clock: FakeClock, until: datetime) -> list[int]:
    """Run the timers every hour of fake time up to `until`; the ids fired."""
    fired: list[int] = []
    while clock.now() < until:
        clock.advance(min(timedelta(hours=1), until - clock.now()))
        fired += await timers.run_due()
    return fired


async def test_a_reminder_beyond_the_horizon_is_armed_by_a_refill_and_sent_on_time(
    db_path: Path, notifier: RecordingNotifier, clock: FakeClock
) -> None:
    store = SqliteStore(db_path, clock=clock)
    near = store.add_reminder(promise(T0 + timedelta(hours=2)))
    far = store.add_reminder(promise(T0 + timedelta(hours=30), user="U2"))
    scheduler, timers = make(store, notifier, clock)
    assert scheduler.start() == 1  # the 30 h one waits in the database
    assert timers.due_of(far.id) is None and timers.due_of(near.id) == near.due_at
    assert await _hourly_until(timers, clock, T0 + timedelta(hours=3)) == [near.id]
    scheduler.shutdown()
    store.close()  # restart before the horizon reaches it
    store = SqliteStore(db_path, clock=clock)
    scheduler, timers = make(store, notifier, clock)
    assert scheduler.start() == 0
    assert timers.due_of(far.id) is None
    assert await _hourly_until(timers, clock, T0 + timedelta(hours=6)) == []
    assert timers.due_of(far.id) == far.due_at  # the refill at 6 h reached 30 h
    assert await _hourly_until(timers, clock, T0 + timedelta(hours=30)) == [far.id]
    sent = store.get_reminder(far.id)
    assert sent is not None and sent.status == "sent" and sent.sent_at == far.due_at
    assert not sent.late
    assert notifier.ids() == [near.id, far.id]
    store.close()


async def test_a_reminder_moved_from_30_hours_to_1_hour_is_sent_at_1_hour(
    db_path: Path, notifier: RecordingNotifier, clock: FakeClock
) -> None:
    store = SqliteStore(db_path, clock=clock)
    scheduler, timers = started(store, notifier, clock)
    row = scheduler.add(promise(T0 + timedelta(hours=30)))
    assert timers.due_of(row.id) is None  # stored, not armed
    clock.advance(timedelta(minutes=10))
    scheduler.snooze(row.id, T0 + timedelta(hours=1))
    assert timers.due_of(row.id) == T0 + timedelta(hours=1)  # armed at once
    scheduler.shutdown()
    store.close()  # restart in between
    store = SqliteStore(db_path, clock=clock)
    scheduler, timers = make(store, notifier, clock)
    assert scheduler.start() == 1
    assert await _hourly_until(timers, clock, T0 + timedelta(minutes=59)) == []
    assert await _hourly_until(timers, clock, T0 + timedelta(hours=1)) == [row.id]
    sent = store.get_reminder(row.id)
    assert sent is not None and sent.sent_at == T0 + timedelta(hours=1) and not sent.late
    assert await _hourly_until(timers, clock, T0 + timedelta(hours=31)) == []
    assert notifier.ids() == [row.id]
    store.close()


async def test_a_reminder_moved_beyond_the_horizon_waits_for_its_refill(
    store: SqliteStore, notifier: RecordingNotifier, clock: FakeClock
) -> None:
    scheduler, timers = started(store, notifier, clock)
    row = scheduler.add(promise(T0 + timedelta(hours=1)))
    assert scheduler.snooze(row.id, T0 + timedelta(hours=40)) is not None
    assert timers.due_of(row.id) is None and len(timers) == 0
    assert await _hourly_until(timers, clock, T0 + timedelta(hours=16)) == []
    assert timers.due_of(row.id) == T0 + timedelta(hours=40)
    assert await _hourly_until(timers, clock, T0 + timedelta(hours=40)) == [row.id]
    assert notifier.ids() == [row.id]


async def test_a_reminder_heard_from_another_instance_respects_the_horizon(
    store: SqliteStore, notifier: RecordingNotifier, clock: FakeClock
) -> None:
    """PostgreSQL's NOTIFY hands every instance each added or moved reminder (`heard`): one due
    within the horizon is armed at once, one beyond it waits for its refill, an ended one goes."""
    scheduler, timers = started(store, notifier, clock)
    near, far = (
        store.add_reminder(promise(T0 + timedelta(hours=1))),
        store.add_reminder(promise(T0 + timedelta(hours=30), user="U2")),
    )
    scheduler.heard(near.id, near.due_at)
    scheduler.heard(far.id, far.due_at)
    assert timers.due_of(near.id) == near.due_at
    assert timers.due_of(far.id) is None
    scheduler.heard(near.id, None)
    assert timers.due_of(near.id) is None and len(timers) == 0
    assert await _hourly_until(timers, clock, T0 + timedelta(hours=30)) == [far.id]


async def test_a_refill_leaves_a_retry_at_its_backoff(
    store: SqliteStore, notifier: RecordingNotifier, clock: FakeClock
) -> None:
    scheduler, timers = started(store, notifier, clock)
    row = await failed_sends(scheduler, timers, notifier, clock, timedelta(minutes=59), 1)
    retry_at = clock.now() + backoff(1)
    assert timers.due_of(row.id) == retry_at
    clock.advance(timedelta(minutes=1))  # the refill at 1 h runs now
    assert await timers.run_due() == []
    assert timers.due_of(row.id) == retry_at  # not pulled back to its (past) due time
    assert notifier.ids() == []


async def test_a_refill_the_database_refuses_is_tried_again(
    store: SqliteStore,
    notifier: RecordingNotifier,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scheduler, timers = started(store, notifier, clock)
    row = scheduler.add(promise(T0 + timedelta(hours=25)))
    assert timers.due_of(row.id) is None
    with monkeypatch.context() as patched:

        def refuse(*_args: object) -> None:
            raise StoreLocked("the database is locked")

        patched.setattr(store, "pending_due_between", refuse)
        clock.advance(timedelta(hours=1))
        assert await timers.run_due() == []
    assert timers.due_of(row.id) is None
    clock.advance(timedelta(minutes=1))  # STORE_RETRY later
    assert await timers.run_due() == []
    assert timers.due_of(row.id) == row.due_at
    clock.set(row.due_at)
    assert await timers.run_due() == [row.id]


async def test_aps_timers_refill_the_horizon(db_path: Path) -> None:
    clock = SystemClock()
    store = SqliteStore(db_path, clock=clock)
    notifier = RecordingNotifier()
    scheduler = ReminderScheduler(
        store,
        notifier,
        ApsTimers(),
        clock,
        render_reminder,
        horizon=timedelta(seconds=0.3),
        refill_every=timedelta(seconds=0.1),
    )
    due = datetime.now(UTC) + timedelta(seconds=0.8)
    row = store.add_reminder(promise(due))
    assert scheduler.start() == 0  # beyond the (short) horizon
    await _wait_for(lambda: notifier.sent, 3.0)
    arrived = datetime.now(UTC)
    scheduler.shutdown()
    assert notifier.ids() == [row.id]
    assert timedelta(0) <= arrived - due < timedelta(seconds=1)
    store.close()
