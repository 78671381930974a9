"""Reminders on every store: add, read, move, claim; instants stay aware and come back in UTC."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.store import Store
from tests.bot.conftest import T0
from tests.bot.store.rows import P, W, promise
from tests.fakes import FakeClock


def test_reminder_crud(any_store: Store, clock: FakeClock) -> None:
    first = any_store.add_reminder(promise(due=T0 + timedelta(hours=2)))
    second = any_store.add_reminder(promise(due=T0 + timedelta(hours=1), text="  le escribo  "))
    other = any_store.add_reminder(promise(user="U2", due=T0 + timedelta(hours=3)))
    assert second.text == "le escribo"
    assert any_store.get_reminder(first.id) == first
    assert first.status == "pending" and first.created_at == clock.now() and not first.late
    assert [r.id for r in any_store.pending_reminders()] == [second.id, first.id, other.id]
    assert sorted(any_store.pending_due_times()) == [
        (first.id, first.due_at),
        (second.id, second.due_at),
        (other.id, other.due_at),
    ]
    due_by_then = [
        r.id for r in any_store.pending_reminders() if r.due_at <= T0 + timedelta(hours=1)
    ]
    assert due_by_then == [second.id]
    assert [r.id for r in any_store.reminders_for_user(P, W, "U1")] == [second.id, first.id]

    assert any_store.mark_sent(second.id, T0 + timedelta(hours=1), late=False)
    sent = any_store.get_reminder(second.id)
    assert sent is not None and sent.status == "sent" and sent.sent_at == T0 + timedelta(hours=1)
    assert [r.id for r in any_store.reminders_for_user(P, W, "U1", ("pending", "sent"))] == [
        second.id,
        first.id,
    ]
    assert any_store.reminders_for_user(P, W, "U1", ()) == []

    snoozed = any_store.snooze(second.id, T0 + timedelta(hours=5))
    assert snoozed is not None
    assert (snoozed.status, snoozed.due_at, snoozed.sent_at) == (
        "pending",
        T0 + timedelta(hours=5),
        None,
    )

    assert any_store.record_failure(first.id, "ConnectionError: down") == 1
    assert any_store.record_failure(first.id, "ConnectionError: down again") == 2
    failed = any_store.get_reminder(first.id)
    assert (
        failed is not None
        and failed.attempts == 2
        and failed.last_error == "ConnectionError: down again"
    )
    assert failed.status == "pending"

    assert any_store.mark_done(first.id, T0 + timedelta(hours=2))
    assert not any_store.mark_done(first.id, T0 + timedelta(hours=2))
    assert any_store.get_reminder(first.id).done_at == T0 + timedelta(hours=2)  # type: ignore[union-attr]
    assert any_store.cancel_reminder(other.id)
    assert not any_store.cancel_reminder(other.id)
    assert any_store.snooze(other.id, T0 + timedelta(days=1)) is None  # cancelled stays cancelled
    assert not any_store.mark_sent(other.id, T0, late=False)
    assert any_store.get_reminder(424242) is None
    assert [r.id for r in any_store.pending_reminders()] == [second.id]


def test_mark_sent_with_due_at_loses_to_a_snooze(any_store: Store) -> None:
    row = any_store.add_reminder(promise())
    any_store.snooze(row.id, row.due_at + timedelta(hours=1))
    assert not any_store.mark_sent(row.id, row.due_at, late=False, due_at=row.due_at)
    assert any_store.get_reminder(row.id).status == "pending"  # type: ignore[union-attr]
    assert any_store.mark_sent(
        row.id, row.due_at, late=False, due_at=row.due_at + timedelta(hours=1)
    )


def test_naive_datetimes_are_refused(any_store: Store) -> None:
    with pytest.raises(ValueError, match="naive"):
        any_store.add_reminder(promise(due=datetime(2026, 11, 9, 10, 0)))


def test_aware_non_utc_instants_come_back_in_utc(any_store: Store) -> None:
    madrid = datetime(2026, 11, 9, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    row = any_store.add_reminder(promise(due=madrid))
    stored = any_store.get_reminder(row.id)
    assert stored is not None and stored.due_at == madrid
    assert stored.due_at.utcoffset() == timedelta(0) and stored.due_at.hour == 9


def test_pending_due_between_reads_one_stretch_of_the_horizon(any_store: Store) -> None:
    rows = [
        any_store.add_reminder(promise(due=T0 + timedelta(hours=h), text=f"paso {h}"))
        for h in (-1, 0, 1, 2, 3)
    ]
    done = any_store.add_reminder(promise(due=T0 + timedelta(hours=1, minutes=30)))
    assert any_store.mark_done(done.id, T0)
    by_hour = {h: row for h, row in zip((-1, 0, 1, 2, 3), rows, strict=True)}
    # None: everything due by `until`, overdue included; `until` itself is inside
    assert sorted(any_store.pending_due_between(None, T0 + timedelta(hours=1))) == [
        (by_hour[h].id, by_hour[h].due_at) for h in (-1, 0, 1)
    ]
    # `after` itself is outside: the stretch read at the previous refill is not read again
    stretch = any_store.pending_due_between(T0 + timedelta(hours=1), T0 + timedelta(hours=3))
    assert sorted(stretch) == [(by_hour[h].id, by_hour[h].due_at) for h in (2, 3)]
    assert any_store.pending_due_between(T0 + timedelta(hours=3), T0 + timedelta(hours=9)) == []
    # a snooze moves a row into a later stretch
    any_store.snooze(by_hour[0].id, T0 + timedelta(hours=5))
    assert any_store.pending_due_between(T0 + timedelta(hours=3), T0 + timedelta(hours=9)) == [
        (by_hour[0].id, T0 + timedelta(hours=5))
    ]
