"""The reminder notices every instance LISTENs to: a reminder added or moved is heard with its
due time, one sent or cancelled is heard as ended; PgListener hands them over on the loop."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.store.postgres import PgStore
from bot.store.postgres.listen import PgListener, parse_reminder
from tests.bot.conftest import T0
from tests.bot.store.rows import promise
from tests.fakes import FakeClock


def test_a_notice_reads_as_an_id_and_a_due_time_or_an_end() -> None:
    assert parse_reminder("42 1700000000123") == (
        42,
        datetime.fromisoformat("2023-11-14T22:13:20.123+00:00"),
    )
    assert parse_reminder("42") == (42, None)
    assert parse_reminder("x y") is None and parse_reminder("") is None


async def test_changes_made_by_one_store_are_heard_by_a_listener(pg_url: str) -> None:
    heard: list[tuple[int, datetime | None]] = []
    listener = PgListener(pg_url, lambda rid, due: heard.append((rid, due)))
    listening = asyncio.create_task(listener.run())
    store = PgStore(pg_url, clock=FakeClock(T0))
    try:
        for _ in range(100):
            if listener.listening:
                break
            await asyncio.sleep(0.05)
        assert listener.listening
        row = await asyncio.to_thread(store.add_reminder, promise(due=T0 + timedelta(hours=1)))
        await asyncio.to_thread(store.snooze, row.id, T0 + timedelta(hours=2))
        await asyncio.to_thread(store.claim, row.id, "a", T0, timedelta(seconds=20))  # silent
        await asyncio.to_thread(store.mark_sent, row.id, T0 + timedelta(hours=2), False)
        for _ in range(100):
            if len(heard) >= 3:
                break
            await asyncio.sleep(0.05)
        assert heard == [
            (row.id, T0 + timedelta(hours=1)),
            (row.id, T0 + timedelta(hours=2)),
            (row.id, None),
        ]
    finally:
        listening.cancel()
        store.close()
