"""Three real `calma slack --http` processes on one PostgreSQL database and the Slack stand-in:
nothing acknowledged twice when Slack retries on another instance, nothing lost or sent twice
when one instance is killed before its reminders fall due."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import message_event
from tests.adapters.slack.instances import Instance

PROMISE = "Le confirmo en 1 minuto si hay stock, agente {n}"
AGENTS = [f"U0AGENT{n:02d}" for n in range(12)]


@pytest.fixture
def three(fake_slack: FakeSlack, pg_url: str, tmp_path: Path) -> Iterator[list[Instance]]:
    instances: list[Instance] = []
    try:
        for n in range(3):  # started side by side, then each waited for
            instances.append(Instance(fake_slack, pg_url, tmp_path, name=f"calma-{n}", wait=False))
        for instance in instances:
            instance.ready()
        yield instances
    finally:
        for instance in instances:
            instance.stop()


def reminders(url: str) -> list[tuple[int, str, str, datetime, datetime | None]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            'SELECT id, "user", status, due_at, sent_at FROM reminders ORDER BY id'
        ).fetchall()


def test_a_retry_on_another_instance_is_acknowledged_once(
    three: list[Instance], fake_slack: FakeSlack, pg_url: str
) -> None:
    envelopes = [message_event(PROMISE.format(n=n), user=AGENTS[n]) for n in range(9)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        posts = [
            pool.submit(three[n % 3].post, envelope) for n, envelope in enumerate(envelopes)
        ] + [
            pool.submit(three[(n + 1) % 3].post, envelope, retry=1)
            for n, envelope in enumerate(envelopes)
        ]
        assert all(post.result()[0] == 200 for post in posts)
    acks = fake_slack.wait_for("chat.postEphemeral", count=len(envelopes), timeout=20)
    time.sleep(1.5)  # a doubled acknowledgement would have come by now
    acks = fake_slack.calls_to("chat.postEphemeral")
    assert sorted(call.params["user"] for call in acks) == sorted(AGENTS[:9])
    assert len(reminders(pg_url)) == len(envelopes)


def test_reminders_of_a_killed_instance_are_sent_once_on_time_by_the_others(
    three: list[Instance], fake_slack: FakeSlack, pg_url: str
) -> None:
    envelopes = [message_event(PROMISE.format(n=n), user=AGENTS[n]) for n in range(12)]
    for n, envelope in enumerate(envelopes):
        assert three[0 if n < 8 else 1].post(envelope)[0] == 200  # most on the one that dies
    fake_slack.wait_for("chat.postEphemeral", count=len(envelopes), timeout=20)
    rows = reminders(pg_url)
    assert len(rows) == len(envelopes) and {row[2] for row in rows} == {"pending"}
    due = datetime.now(UTC) + timedelta(seconds=6)
    with psycopg.connect(pg_url) as conn:  # fall due in 6 s, not a minute: armed on 0 and 1
        conn.execute("UPDATE reminders SET due_at = %s", (due,))
    three[0].kill()  # before they fall due
    dms = fake_slack.wait_for("chat.postMessage", count=len(envelopes), timeout=40)
    time.sleep(2.0)  # a second send of any would have come by now
    dms = fake_slack.calls_to("chat.postMessage")
    assert len(dms) == len(envelopes)
    rows = reminders(pg_url)
    assert {row[2] for row in rows} == {"sent"}
    lateness = [(row[4] - row[3]).total_seconds() for row in rows if row[4] is not None]
    assert len(lateness) == len(envelopes) and max(lateness) < 30, lateness
