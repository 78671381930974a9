"""`calma slack --http` as a real process: a promise made over a signed event survives SIGKILL
and a restart, and its reminder DM goes out exactly once."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import AGENT, message_event
from tests.adapters.slack.instances import Instance


class Calma(Instance):
    """One `calma slack --http` process on the SQLite file `db`, ready once it said so; its
    output is read on a thread as it comes (`wait_for`, `output`)."""

    def __init__(self, fake: FakeSlack, db: Path, cwd: Path) -> None:
        super().__init__(fake, str(db), cwd)

    def send(self, envelope: dict[str, object]) -> int:
        return self.post(envelope)[0]


def until_true(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait (polling) until `check()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def rows(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, status FROM reminders ORDER BY id").fetchall()


def test_reminder_survives_sigkill_and_is_delivered_once(fake_slack: FakeSlack, tmp_path: Path):
    db = tmp_path / "calma.db"
    first = Calma(fake_slack, db, tmp_path)
    promise = message_event("Le llamo mañana a las 10.")
    assert first.send(promise) == 200
    fake_slack.wait_for("chat.postEphemeral")  # the acknowledgement
    ((row_id, status),) = rows(db)
    assert status == "pending"
    first.kill()
    # Calma was down while the promise fell due: make it two hours overdue.
    past = (datetime.now(UTC) - timedelta(hours=2)).isoformat(timespec="microseconds")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE reminders SET due_at = ? WHERE id = ?", (past, row_id))

    second = Calma(fake_slack, db, tmp_path)
    (dm,) = fake_slack.wait_for("chat.postMessage", timeout=10)
    assert dm.params["channel"] == f"D{AGENT[1:]}"
    assert "Recordatorio" in dm.params["text"] and "Llega con retraso" in dm.params["text"]
    until_true(lambda: rows(db) == [(row_id, "sent")])
    assert second.stop() == 0
    assert rows(db) == [(row_id, "sent")]

    third = Calma(fake_slack, db, tmp_path)  # ready: pending reminders were re-armed by now
    assert "re-armed 0 pending reminders" in third.output()
    assert third.stop() == 0
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
