"""LISTEN/NOTIFY between instances: a reminder moved to fall due 2 s from now on instance A, which
is then killed, is sent on time by instance B — B heard of it at once (its fallback poll for due
reminders is set to 2 minutes here, so only the notice can make it on time)."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import psycopg

from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import message_event
from tests.adapters.slack.instances import Instance

SLOW_POLL = {"CALMA_CLAIM_POLL_SECONDS": "120"}
PROMISE = "Le llamo mañana a las 10 para confirmarlo."


def listeners(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND query ILIKE 'LISTEN%'"
        ).fetchone()
        return int(row[0]) if row else 0


def wait_until(check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def test_a_reminder_moved_on_a_killed_instance_is_sent_on_time_by_another(
    fake_slack: FakeSlack, pg_url: str, tmp_path: Path
) -> None:
    a = Instance(fake_slack, pg_url, tmp_path, "a", extra_env=SLOW_POLL)
    b = Instance(fake_slack, pg_url, tmp_path, "b", extra_env=SLOW_POLL)
    try:
        wait_until(lambda: listeners(pg_url) >= 2, 20, "both instances LISTEN")
        assert a.post(message_event(PROMISE, user="U0PROMISE"))[0] == 200
        with psycopg.connect(pg_url) as conn:
            wait_until(
                lambda: conn.execute("SELECT count(*) FROM reminders").fetchone() == (1,),
                20,
                "the reminder was stored",
            )
            conn.execute("UPDATE reminders SET due_at = now() + interval '2 seconds'")
            conn.commit()
        a.kill()  # whatever A armed dies with it
        wait_until(lambda: fake_slack.calls_to("chat.postMessage"), 20, "B sent the reminder")
        time.sleep(1.0)
        assert len(fake_slack.calls_to("chat.postMessage")) == 1
        with psycopg.connect(pg_url) as conn:
            row = conn.execute(
                "SELECT status, due_at, sent_at, claimed_by FROM reminders"
            ).fetchone()
        assert row is not None and row[0] == "sent"
        late = row[2] - row[1]
        assert timedelta(0) <= late < timedelta(seconds=2), late  # the poll would be ~2 min late
    finally:
        a.stop()
        b.stop()
