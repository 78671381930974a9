"""Durable before acknowledged: `calma slack --http` killed right after the HTTP 200 of promise
events still makes every reminder after a restart (the event waited in the inbox), on SQLite and
on PostgreSQL."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from tests.adapters.procs import SHORT_INBOX_LEASE
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import message_event
from tests.adapters.slack.instances import Instance

AGENTS = [f"U0AGENT{n:02d}" for n in range(8)]
PROMISE = "Le llamo mañana a las 10, agente {n}"


def sqlite_counter(db: str) -> Callable[[], int]:
    def count() -> int:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("SELECT count(*) FROM reminders").fetchone()[0])

    return count


def pg_counter(url: str) -> Callable[[], int]:
    def count() -> int:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT count(*) FROM reminders").fetchone()
            return int(row[0]) if row else 0

    return count


def database(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> tuple[str, Callable[[], int]]:
    """A database for one `calma` process (a SQLite file, or the test's PostgreSQL database) and
    a count of its reminders."""
    if kind == "sqlite":
        db = str(tmp_path / "calma.db")
        return db, sqlite_counter(db)
    url = request.getfixturevalue("pg_url")
    return url, pg_counter(url)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_promises_acknowledged_just_before_a_sigkill_are_kept(
    kind: str, fake_slack: FakeSlack, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    db, count = database(kind, tmp_path, request)
    calma = Instance(fake_slack, db, tmp_path, extra_env=SHORT_INBOX_LEASE)  # killed: 2 s claims
    try:
        for n, agent in enumerate(AGENTS):
            status, _ = calma.post(message_event(PROMISE.format(n=n), user=agent))
            assert status == 200
        calma.kill()  # right after the last 200: some events are still being handled
    finally:
        calma.stop()
    handled_before = count()
    print(f"{kind}: {handled_before} of {len(AGENTS)} reminders stored before the kill")
    again = Instance(fake_slack, db, tmp_path, name="restarted")
    try:
        every_promise_kept(again, count, len(AGENTS), handled_before)
    finally:
        assert again.stop() == 0


def every_promise_kept(
    again: Instance, count: Callable[[], int], promised: int, before: int
) -> None:
    """Wait (30 s at most) for the restarted instance to make a reminder of every promise, then
    one more second: a replay adds no second reminder."""
    deadline = time.monotonic() + 30
    while count() < promised:
        assert time.monotonic() < deadline, (before, count(), again.output())
        time.sleep(0.2)
    time.sleep(1.0)
    assert count() == promised
