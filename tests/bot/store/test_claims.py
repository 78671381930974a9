"""Reminder claims on every store: one owner at a time, a lease that expires frees a claim."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Store
from tests.bot.conftest import T0
from tests.bot.store.rows import promise

LEASE = timedelta(seconds=20)


def test_a_due_reminder_is_claimed_by_one_owner_until_its_lease_ends(any_store: Store) -> None:
    row = any_store.add_reminder(promise(due=T0))
    now = T0 + timedelta(seconds=1)
    assert any_store.claim(row.id, "a", now, LEASE)
    assert not any_store.claim(row.id, "b", now, LEASE)
    assert any_store.claim(row.id, "a", now, LEASE)  # the holder may renew
    assert any_store.claim(row.id, "b", now + LEASE + timedelta(seconds=1), LEASE)  # expired


def test_claims_need_a_due_pending_row(any_store: Store) -> None:
    early = any_store.add_reminder(promise(due=T0 + timedelta(hours=1)))
    assert not any_store.claim(early.id, "a", T0, LEASE)
    sent = any_store.add_reminder(promise(due=T0))
    assert any_store.mark_sent(sent.id, T0, False)
    assert not any_store.claim(sent.id, "a", T0, LEASE)
    assert not any_store.claim(999, "a", T0, LEASE)


def test_claim_due_takes_each_row_once_earliest_first(any_store: Store) -> None:
    rows = [any_store.add_reminder(promise(due=T0 - timedelta(minutes=m))) for m in (1, 3, 2)]
    any_store.add_reminder(promise(due=T0 + timedelta(minutes=5)))  # not due
    first = any_store.claim_due("a", T0, LEASE, limit=2)
    assert first == [rows[1].id, rows[2].id]
    assert any_store.claim_due("b", T0, LEASE) == [rows[0].id]
    assert any_store.claim_due("c", T0, LEASE) == []


def test_a_released_claim_is_free_again_and_sending_ends_it(any_store: Store) -> None:
    row = any_store.add_reminder(promise(due=T0))
    assert any_store.claim(row.id, "a", T0, LEASE)
    any_store.release(row.id, "b")  # not b's to release
    assert not any_store.claim(row.id, "b", T0, LEASE)
    any_store.release(row.id, "a")
    assert any_store.claim(row.id, "b", T0, LEASE)
    any_store.release(row.id, "b", until=T0 + timedelta(minutes=2))  # a retry later
    assert not any_store.claim(row.id, "c", T0 + timedelta(minutes=1), LEASE)
    assert any_store.claim(row.id, "c", T0 + timedelta(minutes=3), LEASE)


def test_a_snooze_frees_a_claim(any_store: Store) -> None:
    row = any_store.add_reminder(promise(due=T0))
    assert any_store.claim(row.id, "a", T0, LEASE)
    assert any_store.snooze(row.id, T0 + timedelta(minutes=1)) is not None
    assert any_store.claim(row.id, "b", T0 + timedelta(minutes=1), LEASE)
