"""Three real `calma teams` processes on one PostgreSQL database and the Bot Connector stand-in:
an activity redelivered to another instance is answered once, and reminders made on an instance
killed before they fall due are each sent once, on time, by the others."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.adapters.procs import SHORT_OUTBOX_LEASE, until
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.instances import Instance
from tests.adapters.teams.connector import BotConnector, post_activity
from tests.adapters.teams.door_kit import card_of, channel_line, texts_of

PROMISE = "Le confirmo en 1 minuto si hay stock, agente {n}"


@asynccontextmanager
async def running(
    pg_url: str, tmp_path: Path, first_env: dict[str, str] | None = None
) -> AsyncIterator[list[Instance]]:
    """Three `calma teams` on the database; the first also gets `first_env`."""
    instances: list[Instance] = []
    with FakeSlack() as unused:  # the class takes a Slack stand-in; the Teams door ignores it
        try:
            for n in range(3):  # started side by side, then each waited for off the loop
                env = first_env if n == 0 else None
                instances.append(
                    Instance(
                        unused,
                        pg_url,
                        tmp_path,
                        f"teams-{n}",
                        door=("teams",),
                        extra_env=env,
                        wait=False,
                    )
                )
            for instance in instances:
                await asyncio.to_thread(instance.ready)
            yield instances
        finally:
            for instance in instances:
                await asyncio.to_thread(instance.stop)


@pytest.fixture
async def three(pg_url: str, tmp_path: Path) -> AsyncIterator[list[Instance]]:
    async with running(pg_url, tmp_path) as instances:
        yield instances


def line_of(connector: BotConnector, n: int) -> dict[str, Any]:
    activity = channel_line(connector, PROMISE.format(n=n))
    activity["from"] = {
        "id": f"29:agent-{n}",
        "name": f"Agente {n}",
        "aadObjectId": f"00000000-0000-4000-8000-{n:012d}",
    }
    return activity


def url(instance: Instance) -> str:
    return f"http://127.0.0.1:{instance.port}/api/messages"


def reminders(db: str) -> list[tuple[str, datetime, datetime | None]]:
    with psycopg.connect(db) as conn:
        return conn.execute("SELECT status, due_at, sent_at FROM reminders ORDER BY id").fetchall()


def sent_texts(connector: BotConnector) -> list[str]:
    return [texts_of(card_of(activity)) for activity in connector.sent()]


async def test_a_redelivery_on_another_instance_is_answered_once(
    three: list[Instance], connector: BotConnector, pg_url: str
) -> None:
    lines = [line_of(connector, n) for n in range(6)]
    answers = await asyncio.gather(
        *(post_activity(url(three[n % 3]), line) for n, line in enumerate(lines)),
        *(post_activity(url(three[(n + 1) % 3]), line) for n, line in enumerate(lines)),
    )
    assert all(status in (200, 201) for status, _ in answers)
    await until(lambda: len(connector.sent()) >= len(lines), timeout=20)
    await asyncio.sleep(1.5)  # a doubled acknowledgement would have come by now
    assert len(connector.sent()) == len(lines)
    assert len(reminders(pg_url)) == len(lines)


async def test_reminders_of_a_killed_instance_are_sent_once_on_time(
    three: list[Instance], connector: BotConnector, pg_url: str
) -> None:
    lines = [line_of(connector, n) for n in range(9)]
    for n, line in enumerate(lines):
        status, _ = await post_activity(url(three[0 if n < 6 else 1]), line)
        assert status in (200, 201)
    await until(lambda: len(connector.sent()) >= len(lines), timeout=20)
    due = datetime.now(UTC) + timedelta(seconds=6)
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE reminders SET due_at = %s", (due,))
    await asyncio.to_thread(three[0].kill)
    started = time.monotonic()
    await until(lambda: len(connector.sent()) >= 2 * len(lines), timeout=40)
    await asyncio.sleep(2.0)
    assert len(connector.sent()) == 2 * len(lines), time.monotonic() - started
    assert sum("Recordatorio" in text for text in sent_texts(connector)) == len(lines)
    rows = reminders(pg_url)
    assert {row[0] for row in rows} == {"sent"}
    lateness = [(row[2] - row[1]).total_seconds() for row in rows if row[2] is not None]
    assert len(lateness) == len(lines) and max(lateness) < 30, lateness


async def test_a_send_queued_on_a_killed_instance_is_sent_once_by_another(
    connector: BotConnector, pg_url: str, tmp_path: Path
) -> None:
    # The first instance holds what it queues for 2 s (CALMA_OUTBOX_LEASE_SECONDS), not 20 s.
    async with running(pg_url, tmp_path, SHORT_OUTBOX_LEASE) as three:
        connector.fail_next(1, status=429, retry_after=8)  # the first instance backs off 8 s…
        status, _ = await post_activity(url(three[0]), line_of(connector, 1))
        assert status in (200, 201)
        await connector.wait_for_calls(1)
        await asyncio.to_thread(three[0].kill)  # …and dies with the acknowledgement still queued
        with psycopg.connect(pg_url) as conn:
            queued = conn.execute("SELECT count(*) FROM outbox").fetchone()
        assert queued is not None and queued[0] == 1
        [sent] = await connector.wait_sent(1, timeout=40)  # another, once the 2 s lease ends
        assert "Recordatorio" not in texts_of(card_of(sent))
        await asyncio.sleep(2.0)  # a second sweep (of the third instance) sends nothing more
        assert len(connector.sent()) == 1
        with psycopg.connect(pg_url) as conn:
            left = conn.execute("SELECT count(*) FROM outbox").fetchone()
        assert left is not None and left[0] == 0
