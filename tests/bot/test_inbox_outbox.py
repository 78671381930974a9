"""The inbox and the outbox over a real store and a fake clock: handled once, replayed or resent
after the lease when the first try did not finish, given up after MAX_ATTEMPTS."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from bot import inbox as inbox_module
from bot import outbox as outbox_module
from bot.inbox import EventInbox, InboxItem
from bot.outbox import DurableOutbox, OutboxItem
from bot.store.sqlite import SqliteStore
from tests.fakes import FakeClock


async def test_an_event_is_handled_once_and_a_redelivery_is_dropped(
    store: SqliteStore, clock: FakeClock
) -> None:
    handled: list[str] = []

    async def handler(item: InboxItem) -> None:
        handled.append(item.body)

    inbox = EventInbox(store, clock, "a", offload=False)
    inbox.register("slack", handler)
    assert await inbox.accept("slack", "Ev1", "one")
    assert not await inbox.accept("slack", "Ev1", "one")  # Slack's retry
    await inbox.drain()
    assert handled == ["one"]
    clock.advance(inbox_module.LEASE * 2)
    assert await inbox.sweep() == 0


async def test_an_event_whose_handling_failed_is_replayed_after_the_lease(
    store: SqliteStore, clock: FakeClock
) -> None:
    tries: list[int] = []

    async def handler(item: InboxItem) -> None:
        tries.append(item.attempts)
        if len(tries) < 3:
            raise ConnectionError("down")

    inbox = EventInbox(store, clock, "a", offload=False)
    inbox.register("slack", handler)
    await inbox.accept("slack", "Ev1", "one")
    await inbox.drain()
    assert await inbox.sweep() == 0  # its lease still holds
    for _ in range(3):
        clock.advance(inbox_module.LEASE + timedelta(seconds=1))
        await inbox.sweep()
    assert tries == [1, 2, 3]


async def test_a_reply_is_sent_from_the_outbox_and_resent_after_a_failure(
    store: SqliteStore, clock: FakeClock
) -> None:
    sent: list[str] = []
    failures = [ConnectionError("down")]

    async def send(item: OutboxItem) -> None:
        if failures:
            raise failures.pop()
        sent.append(item.payload)

    outbox = DurableOutbox(store, clock, "a", offload=False)
    outbox.register("slack", send)
    await outbox.post("slack", "T1", "chat.postEphemeral", '{"text": "hola"}')
    await outbox.drain()
    assert sent == [] and outbox.depth() == 1
    clock.advance(outbox_module.LEASE + timedelta(seconds=1))
    assert await outbox.sweep() == 1
    assert sent == ['{"text": "hola"}'] and outbox.depth() == 0


async def test_a_reply_that_keeps_failing_is_given_up(store: SqliteStore, clock: FakeClock) -> None:
    async def send(item: OutboxItem) -> None:
        raise ConnectionError("down")

    outbox = DurableOutbox(store, clock, "a", offload=False)
    outbox.register("slack", send)
    await outbox.post("slack", "T1", "chat.postEphemeral", "{}")
    await outbox.drain()
    for _ in range(outbox_module.MAX_ATTEMPTS):
        clock.advance(outbox_module.LEASE + timedelta(seconds=1))
        await outbox.sweep()
    assert outbox.depth() == 0


async def test_a_kind_with_its_own_sender_goes_there_and_the_rest_to_the_doors(
    store: SqliteStore, clock: FakeClock
) -> None:
    door: list[str] = []
    offers: list[str] = []

    async def door_sender(item: OutboxItem) -> None:
        if item.kind != "ephemeral":
            raise ValueError(f"the door does not know {item.kind!r}")
        door.append(item.payload)

    async def offer_sender(item: OutboxItem) -> None:
        offers.append(item.payload)

    outbox = DurableOutbox(store, clock, "a", offload=False)
    outbox.register("slack", door_sender)
    outbox.register("slack", offer_sender, kind="followup.offer")
    assert outbox.sends("slack", "followup.offer") and not outbox.sends("teams", "followup.offer")
    assert await outbox.deliver("slack", "T1", "followup.offer", "7")
    assert await outbox.deliver("slack", "T1", "ephemeral", "{}")
    assert (door, offers) == (["{}"], ["7"])
    assert store.outbox_depth() == 0


async def test_past_the_memory_bound_events_wait_in_the_database_for_the_next_sweep_not_a_lease(
    store: SqliteStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbox_module, "MAX_HANDLING", 2)
    monkeypatch.setattr(inbox_module, "MAX_WAITING", 3)
    gate = asyncio.Event()
    handled: list[str] = []

    async def handler(item: InboxItem) -> None:
        await gate.wait()
        handled.append(item.body)

    inbox = EventInbox(store, clock, "a", offload=False)
    inbox.register("slack", handler)
    for n in range(8):
        assert await inbox.accept("slack", f"Ev{n}", str(n))
    assert inbox.busy == 5 and inbox.spilled == 3  # 2 handling, 3 waiting, 3 in the database
    gate.set()
    assert await inbox.sweep() == 3  # the spilled ones, at once; not those waiting or handled here
    await inbox.idle()
    assert sorted(handled) == [str(n) for n in range(8)]
    clock.advance(inbox_module.LEASE * 2)
    assert await inbox.sweep() == 0


def _committed(db_path: Path, table: str) -> int:
    """Rows another connection sees: what survives a crash now."""
    other = sqlite3.connect(db_path)
    try:
        return int(other.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        other.close()


async def test_an_event_is_committed_before_accept_returns_and_a_redelivery_waits_for_it_too(
    store: SqliteStore, clock: FakeClock, db_path: Path
) -> None:
    inbox = EventInbox(store, clock, "a", offload=False)
    inbox.register("slack", _nothing)
    assert await inbox.accept("slack", "Ev1", "one") is True
    assert _committed(db_path, "inbox") == 1
    store.inbox_put("slack", "Ev2", "two", "a", clock.now(), inbox.lease)  # in flight, this turn
    assert await inbox.accept("slack", "Ev2", "two") is False  # Slack's retry of it
    assert _committed(db_path, "inbox") == 2  # its 200 came after the first delivery's commit
    await inbox.drain()


async def test_a_reply_leaves_only_once_its_outbox_row_is_committed(
    store: SqliteStore, clock: FakeClock, db_path: Path
) -> None:
    seen: list[int] = []

    async def send(item: OutboxItem) -> None:
        seen.append(_committed(db_path, "outbox"))

    outbox = DurableOutbox(store, clock, "a", offload=False)
    outbox.register("slack", send)
    await outbox.post("slack", "T1", "chat.postEphemeral", "{}")
    await outbox.drain()
    assert seen == [1]
    await store.settled()
    assert _committed(db_path, "outbox") == 0


async def _nothing(item: InboxItem) -> None:
    return None


Queue = TypeVar("Queue", EventInbox, DurableOutbox)


def _a_slow_b_quick(
    kind: type[Queue],
    store: SqliteStore,
    clock: FakeClock,
    platform: asyncio.Event,
    done: list[str],
) -> tuple[Queue, Queue]:
    """Two instances of an inbox or an outbox: a's work waits for `platform` to answer, b's is
    done at once; `done` says whose work ran."""

    async def waits(item: object) -> None:
        await platform.wait()
        done.append("a")

    async def at_once(item: object) -> None:
        done.append("b")

    a = kind(store, clock, "a", offload=False)
    a.register("slack", waits)
    b = kind(store, clock, "b", offload=False)
    b.register("slack", at_once)
    return a, b


async def _a_sending_b_sweeping(
    store: SqliteStore, clock: FakeClock, platform: asyncio.Event, sent: list[str]
) -> tuple[DurableOutbox, DurableOutbox]:
    """a has just queued one reply and its send is under way."""
    a, b = _a_slow_b_quick(DurableOutbox, store, clock, platform, sent)
    await a.post("slack", "T1", "ephemeral", "{}")
    await asyncio.sleep(0)
    return a, b


async def test_a_send_slower_than_its_lease_is_not_sent_again_by_another_instance(
    store: SqliteStore, clock: FakeClock
) -> None:
    platform_answers = asyncio.Event()
    sent: list[str] = []
    a, b = await _a_sending_b_sweeping(store, clock, platform_answers, sent)
    renewed = 0
    for _ in range(6):  # a minute of the sweep's rhythm (a second apart in real life)
        clock.advance(outbox_module.LEASE / 2 - timedelta(seconds=1))
        renewed += await a.renew()
        assert await b.sweep() == 0
    assert renewed >= 3
    platform_answers.set()
    await a.drain()
    assert sent == ["a"] and store.outbox_depth() == 0


async def test_a_send_that_hangs_is_renewed_no_longer_than_max_hold_then_tried_elsewhere(
    store: SqliteStore, clock: FakeClock
) -> None:
    sent: list[str] = []
    a, b = await _a_sending_b_sweeping(store, clock, asyncio.Event(), sent)  # never answers
    taken = 0
    for _ in range(40):  # 10 minutes: max_hold is ten leases
        clock.advance(outbox_module.LEASE / 2)
        await a.renew()
        taken += await b.sweep()
    assert taken == 1 and sent == ["b"] and store.outbox_depth() == 0
    await a.drain(0.01, cancel=True)


async def test_an_event_handled_longer_than_its_lease_is_not_replayed_elsewhere(
    store: SqliteStore, clock: FakeClock
) -> None:
    finish = asyncio.Event()
    handled: list[str] = []
    a, b = _a_slow_b_quick(EventInbox, store, clock, finish, handled)
    assert await a.accept("slack", "Ev1", "{}")
    await asyncio.sleep(0)
    for _ in range(6):
        clock.advance(inbox_module.LEASE / 2 - timedelta(seconds=1))
        await a.renew()
        assert await b.sweep() == 0
    finish.set()
    await a.drain()
    clock.advance(inbox_module.LEASE * 2)
    assert await b.sweep() == 0 and handled == ["a"]


async def test_an_event_handled_from_memory_is_remembered_so_a_stored_delivery_does_not_act(
    store: SqliteStore, clock: FakeClock
) -> None:
    handled: list[str] = []

    async def handler(item: InboxItem) -> None:
        handled.append(item.key)

    inbox = EventInbox(store, clock, "a", offload=False)
    inbox.register("slack", handler)
    assert await inbox.remember("slack", "Ev1") is True  # the door handles this one itself
    assert await inbox.remember("slack", "Ev1") is False  # a second delivery handled from memory
    assert await inbox.accept("slack", "Ev1", "one") is False  # Slack's retry, stored: dropped
    await inbox.accept("slack", "Ev2", "two")
    assert await inbox.remember("slack", "Ev2") is False  # the inbox has it: it acts
    await inbox.drain()
    clock.advance(inbox_module.LEASE * 2)
    assert await inbox.sweep() == 0  # a remembered event is done: nothing to replay
    assert handled == ["Ev2"]
