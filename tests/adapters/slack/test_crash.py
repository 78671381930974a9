"""`calma slack --http` as a real process: a promise made over a signed event survives SIGKILL
and a restart, and its reminder DM goes out exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.adapters.procs import free_port
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import AGENT, BOT_TOKEN, SECRET, message_event
from tests.adapters.slack.signing import signed_headers

ROOT = Path(__file__).resolve().parents[3]


class Calma:
    """One `calma slack --http` process, with its output read until it says it is ready."""

    def __init__(self, fake: FakeSlack, db: Path, cwd: Path) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CALMA_", "SLACK_"))}
        env.update(
            CALMA_DB=str(db),
            CALMA_TZ="America/Mexico_City",
            SLACK_API_URL=fake.base_url,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            PYTHONPATH=str(ROOT),
            PYTHONUTF8="1",
        )
        command = [sys.executable, "-m", "app.cli", "slack", "--http", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
            text=True,
        )
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 20
        for line in self.proc.stdout:
            if "calma: ready" in line:
                break
            assert time.monotonic() < deadline, "calma did not start"
        else:
            raise AssertionError(f"calma exited with {self.proc.wait()}")

    def send(self, envelope: dict[str, object]) -> int:
        body = json.dumps(envelope)
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/slack/events",
            data=body.encode(),
            headers=signed_headers(body, SECRET),
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=10)


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
    time.sleep(0.5)
    assert second.stop() == 0
    assert rows(db) == [(row_id, "sent")]

    third = Calma(fake_slack, db, tmp_path)
    time.sleep(1.0)
    assert third.stop() == 0
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
