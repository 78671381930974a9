"""Issue 11: the database fault windows, with real processes (`calma slack --http`, SIGTERM, and a
second process holding SQLite's write lock).

- A reminder sent while the database refuses to record it is not sent again after a restart.
- A promise acknowledged while the database refuses it survives a clean stop (the journal beside
  the database) and is stored at the next start.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.journal import SUFFIX
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import AGENT, message_event
from tests.adapters.slack.test_crash import Calma, rows

HOLD = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()
conn.rollback()
"""


@contextmanager
def write_lock(db: Path) -> Iterator[None]:
    """Another process holds the database's write lock until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    try:
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)


def test_a_reminder_sent_while_the_database_refused_to_record_it_is_not_sent_again(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    db = tmp_path / "calma.db"
    first = Calma(fake_slack, db, tmp_path)
    assert first.send(message_event("Le llamo mañana a las 10.")) == 200
    fake_slack.wait_for("chat.postEphemeral")  # the acknowledgement
    assert first.stop() == 0
    ((row_id, _),) = rows(db)
    past = (datetime.now(UTC) - timedelta(minutes=5)).isoformat(timespec="microseconds")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE reminders SET due_at = ? WHERE id = ?", (past, row_id))

    with write_lock(db):
        second = Calma(fake_slack, db, tmp_path)
        (dm,) = fake_slack.wait_for("chat.postMessage", timeout=10)  # sent, not recorded
        assert dm.params["channel"] == f"D{AGENT[1:]}"
        # the record waits out the busy timeout, then fails
        second.wait_for(f"reminder {row_id} was sent but not recorded")
        assert second.stop() == 0
    said = second.output()
    assert f"reminder {row_id} was sent but not recorded" in said
    assert rows(db) == [(row_id, "pending")]
    assert Path(str(db) + SUFFIX).exists()

    third = Calma(fake_slack, db, tmp_path)  # the lock is gone; ready: the journal replayed
    assert "re-armed 0 pending reminders" in third.output()
    assert third.stop() == 0
    assert len(fake_slack.calls_to("chat.postMessage")) == 1  # never twice
    assert rows(db) == [(row_id, "sent")]
    assert not Path(str(db) + SUFFIX).exists()


def test_a_promise_acknowledged_while_the_database_refused_it_survives_a_clean_stop(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    db = tmp_path / "calma.db"
    Calma(fake_slack, db, tmp_path).stop()  # the file exists, migrated
    with write_lock(db):
        calma = Calma(fake_slack, db, tmp_path)
        assert calma.send(message_event("Le llamo mañana a las 10.")) == 200
        (ack,) = fake_slack.wait_for("chat.postEphemeral", timeout=10)
        assert "en cuanto vuelva" in ack.params["text"]
        assert calma.stop() == 0
    said = calma.output()
    assert "are lost" not in said
    assert "kept in" in said and SUFFIX in said
    assert rows(db) == []

    again = Calma(fake_slack, db, tmp_path)
    assert again.stop() == 0
    assert [status for _, status in rows(db)] == ["pending"]
    assert not Path(str(db) + SUFFIX).exists()


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The database file cannot be written (root ignores modes: the file is made immutable)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        path.chmod(0o444)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        else:
            path.chmod(0o644)


def test_reminders_sent_from_a_read_only_database_are_not_sent_again_after_a_restart(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    db = tmp_path / "calma.db"
    first = Calma(fake_slack, db, tmp_path)
    for hour in (10, 11, 12, 13):
        assert first.send(message_event(f"Le llamo mañana a las {hour}.")) == 200
    fake_slack.wait_for("chat.postEphemeral", count=4)
    assert first.stop() == 0
    past = (datetime.now(UTC) - timedelta(minutes=5)).isoformat(timespec="microseconds")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE reminders SET due_at = ?", (past,))

    with read_only(db):
        second = Calma(fake_slack, db, tmp_path)
        fake_slack.wait_for("chat.postMessage", count=4, timeout=10)  # sent, not recorded
        second.wait_for("was sent but not recorded", count=4)
        assert second.stop() == 0
    said = second.output()
    assert said.count("was sent but not recorded") >= 4
    assert [status for _, status in rows(db)] == ["pending"] * 4

    third = Calma(fake_slack, db, tmp_path)  # writable again; ready: the journal replayed
    assert "re-armed 0 pending reminders" in third.output()
    assert third.stop() == 0
    assert len(fake_slack.calls_to("chat.postMessage")) == 4  # none of the 4 twice
    assert [status for _, status in rows(db)] == ["sent"] * 4
