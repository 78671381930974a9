"""`calma teams` as a real process (forked: tests/forkserver.py): a promise, SIGKILL, a restart
after the due time."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.adapters.procs import listening_port, until
from tests.adapters.teams.connector import BotConnector, post_activity
from tests.adapters.teams.door_kit import card_of, channel_line, fresh, submits, texts_of
from tests.adapters.teams.payloads import TENANT
from tests.forkserver import popen_calma

ROOT = Path(__file__).resolve().parents[3]
AUTHOR = "29:1qXv8mTgLp3rJ0bKsYdWcZ4eN7uA5iH2fO9yR6tM-kQ"
AUTHOR_KEY = "6c2a0e4b-7d1f-4e3a-9b8c-5f2d1a0e9c7b"


class CalmaTeams:
    """`python -m app.cli teams` with auth off and its own database; output to files."""

    def __init__(self, db: Path, workdir: Path, name: str) -> None:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("CALMA_", "Microsoft", "SLACK_"))
        }
        env.update(CALMA_DB=str(db), CALMA_TZ="UTC", PYTHONPATH=str(ROOT), PYTHONUTF8="1")
        self.port = 0  # the system's pick, read once it is ready (`listening_port`)
        self.out = workdir / f"{name}.out"
        self.err = workdir / f"{name}.err"
        with self.out.open("w") as out, self.err.open("w") as err:
            self.proc = popen_calma(
                ["teams", "--port", "0"], env=env, cwd=workdir, stdout=out, stderr=err
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    async def ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            said = self.out.read_text()
            if "calma: ready" in said:
                self.port = listening_port(said) or 0
                return
            assert self.proc.poll() is None, self.err.read_text()
            await asyncio.sleep(0.05)
        raise AssertionError("not ready:\n" + self.err.read_text())

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=20)


def reminder_rows(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, status FROM reminders ORDER BY id").fetchall()


async def test_reminder_survives_sigkill_and_arrives_once_in_the_1to1_chat(
    tmp_path: Path, connector: BotConnector
) -> None:
    db = tmp_path / "calma.db"
    first = CalmaTeams(db, tmp_path, "first")
    await first.ready()
    promise = channel_line(connector, "Le llamo mañana a las 10 para confirmarlo.")
    assert (await post_activity(first.url, promise))[0] == 201
    await until(lambda: len(connector.sent("a:conv-1")) == 1)  # sent after the HTTP answer
    [ack] = connector.sent("a:conv-1")
    assert "mañana a las 10:00" in texts_of(card_of(ack))
    [(row_id, status)] = reminder_rows(db)
    assert status == "pending"
    first.kill()

    # Calma is down while the promise falls due.
    past = (datetime.now(UTC) - timedelta(hours=2)).isoformat(timespec="microseconds")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE reminders SET due_at = ? WHERE id = ?", (past, row_id))

    second = CalmaTeams(db, tmp_path, "second")
    await second.ready()
    await until(lambda: len(connector.sent("a:conv-1")) == 2)
    reminder = connector.sent("a:conv-1")[1]
    card = card_of(reminder)
    text = texts_of(card)
    assert "Recordatorio" in text and "Llega con retraso" in text
    assert {"reminder.done", "reminder.snooze_1h", "reminder.tomorrow_9"} <= set(submits(card))
    assert [c.path for c in connector.calls].count("/v3/conversations") == 1  # the stored chat
    await until(lambda: reminder_rows(db) == [(row_id, "sent")])

    reminder_id = connector.sent_id(reminder)
    press = fresh(
        "card_submit",
        connector,
        value=submits(card)["reminder.done"],
        replyToId=reminder_id,
        conversation={"conversationType": "personal", "tenantId": TENANT, "id": "a:conv-1"},
        **{"from": {"id": AUTHOR, "aadObjectId": AUTHOR_KEY}},
    )
    assert (await post_activity(second.url, press))[0] == 201
    await until(lambda: len(connector.updates()) == 1)
    [put] = connector.updates()
    assert put.path == f"/v3/conversations/a:conv-1/activities/{reminder_id}"
    assert "Marcado como hecho" in texts_of(card_of(put.body))
    assert reminder_rows(db) == [(row_id, "done")]
    assert second.stop() == 0

    third = CalmaTeams(db, tmp_path, "third")
    await third.ready()  # pending reminders are re-armed before it says so
    assert "re-armed 0 pending reminders" in third.err.read_text()
    assert third.stop() == 0
    assert len(connector.sent("a:conv-1")) == 2  # delivered once, never again
