"""Two services on one PostgreSQL database, as two instances are: one truth for dedupe, fatigue
and reminder claims, whatever the interleaving."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from bot.model import PrivateNudge
from bot.reminders import LEASE
from tests.bot.conftest import T0
from tests.bot.service_kit import Kit
from tests.bot.store.rows import promise
from tests.fakes import FakeClock

LINE = "Usted debería haber leído el correo"


@pytest.fixture
def pair(pg_url: str) -> Iterator[tuple[Kit, Kit]]:
    kits = (Kit(pg_url, FakeClock(T0)), Kit(pg_url, FakeClock(T0)))
    yield kits
    for kit in kits:
        kit.service.reminders.shutdown()
        kit.store.close()


def together(*calls: Callable[[], object]) -> list[object]:
    """Run the calls on threads released at the same moment; their results in order."""
    gate = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        gate.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def nudges(replies: object) -> int:
    assert isinstance(replies, list)
    return sum(isinstance(r, PrivateNudge) for r in replies)


def say_on(kit: Kit, author: str, event: str | None = None) -> Callable[[], object]:
    return lambda: kit.say(LINE, author=author, event_id=event)


def test_one_event_delivered_to_both_is_handled_once(pair: tuple[Kit, Kit]) -> None:
    a, b = pair
    for attempt in range(10):
        results = together(
            say_on(a, f"U{attempt}", f"E{attempt}"), say_on(b, f"U{attempt}", f"E{attempt}")
        )
        assert sorted(nudges(r) for r in results) == [0, 1]


def test_two_lines_at_once_never_nudge_past_the_cooldown(pair: tuple[Kit, Kit]) -> None:
    a, b = pair
    for attempt in range(10):
        results = together(say_on(a, f"V{attempt}"), say_on(b, f"V{attempt}"))
        assert sorted(nudges(r) for r in results) == [0, 1]  # one rule, once in 10 minutes


def test_a_due_reminder_is_claimed_by_one_instance(pair: tuple[Kit, Kit]) -> None:
    a, b = pair
    row = a.store.add_reminder(promise(due=T0))
    now = T0 + timedelta(seconds=1)
    lease = timedelta(seconds=20)
    won = together(
        lambda: a.store.claim(row.id, "a", now, lease),
        lambda: b.store.claim(row.id, "b", now, lease),
    )
    assert sorted(map(bool, won)) == [False, True]


async def test_both_instances_fire_a_reminder_and_one_sends_it(pair: tuple[Kit, Kit]) -> None:
    a, b = pair
    row = a.service.reminders.add(promise(due=T0 + timedelta(minutes=5)))
    b.service.reminders.schedule(row)  # both armed it (b re-armed it at start, say)
    for kit in pair:
        kit.clock.advance(timedelta(minutes=5))
    await asyncio.gather(a.timers.run_due(), b.timers.run_due())
    assert len(a.notifier.sent) + len(b.notifier.sent) == 1
    assert a.store.get_reminder(row.id).status == "sent"  # type: ignore[union-attr]


async def test_a_reminder_armed_on_an_instance_that_died_is_swept_by_another(
    pair: tuple[Kit, Kit],
) -> None:
    a, b = pair
    row = a.service.reminders.add(promise(due=T0 + timedelta(minutes=5)))
    a.service.reminders.shutdown()  # a dies before it falls due; b never armed it
    assert await b.service.reminders.sweep() == 0  # not due yet
    b.clock.advance(timedelta(minutes=5))
    assert await b.service.reminders.sweep() == 1
    assert b.notifier.ids() == [row.id]
    assert await b.service.reminders.sweep() == 0  # sent once


async def test_a_claim_left_by_a_dead_instance_frees_when_its_lease_ends(
    pair: tuple[Kit, Kit],
) -> None:
    a, b = pair
    row = a.store.add_reminder(promise(due=T0))
    assert a.store.claim_due(a.service.reminders.owner, T0, LEASE) == [row.id]  # then it died
    assert await b.service.reminders.sweep() == 0
    b.clock.advance(LEASE + timedelta(seconds=1))
    assert await b.service.reminders.sweep() == 1
    assert b.notifier.ids() == [row.id] and a.notifier.ids() == []


async def test_a_reminder_slower_to_deliver_than_its_lease_is_sent_by_one_instance(
    pair: tuple[Kit, Kit],
) -> None:
    a, b = pair
    row = a.service.reminders.add(promise(due=T0 + timedelta(minutes=5)))
    a.notifier.gate = asyncio.Event()  # a's platform is slow to accept the send
    for kit in pair:
        kit.clock.advance(timedelta(minutes=5))
    sending = asyncio.create_task(a.timers.run_due())
    await asyncio.sleep(0.2)  # a claimed it and is sending
    assert a.notifier.attempts == 1
    for _ in range(6):  # a minute of sweeps on both
        for kit in pair:
            kit.clock.advance(LEASE / 2 - timedelta(seconds=1))
        await a.service.reminders.renew()
        assert await b.service.reminders.sweep() == 0
    a.notifier.gate.set()
    await sending
    assert a.notifier.ids() == [row.id] and b.notifier.ids() == []
    assert a.store.get_reminder(row.id).status == "sent"  # type: ignore[union-attr]
