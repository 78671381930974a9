"""A small append-only file beside the database for what the database refused about reminders.

Two things must survive a restart even when the database cannot be written: a promise the bot
already acknowledged (`add`), and the fact that a reminder was handed to a door (`sending`, then
`sent` / `failed`). Each entry is one JSON line, flushed and fsynced before the caller goes on.
At start the scheduler replays the journal into the database and empties it once all is stored.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.store.base import NewReminder

log = logging.getLogger(__name__)

SUFFIX = ".reminders-journal"  # not "-journal": that name is SQLite's own rollback journal


class Journal:
    """JSON lines at `path`; every write is durable before it returns."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @classmethod
    def beside(cls, db: str) -> Journal | None:
        """The journal of a database file (None for an in-memory database)."""
        if not db or db == ":memory:":
            return None
        return cls(db + SUFFIX)

    def append(self, entry: dict[str, Any]) -> bool:
        """Write one entry durably; False (and a log line) if even this file cannot be written."""
        line = json.dumps(entry, ensure_ascii=False, default=_iso) + "\n"
        try:
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            log.error("cannot write the reminders journal %s (%s)", self.path, exc)
            return False
        return True

    def entries(self) -> list[dict[str, Any]]:
        """Every readable entry, in order (a torn last line from a crash is skipped)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            log.error("cannot read the reminders journal %s (%s)", self.path, exc)
            return []
        found = []
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                found.append(entry)
        return found

    def rewrite(self, entries: list[dict[str, Any]]) -> None:
        """Replace the journal with `entries` (atomically); remove it when there are none."""
        try:
            if not entries:
                self.path.unlink(missing_ok=True)
                return
            tmp = self.path.with_name(self.path.name + ".tmp")
            with tmp.open("w", encoding="utf-8") as out:
                for entry in entries:
                    out.write(json.dumps(entry, ensure_ascii=False, default=_iso) + "\n")
                out.flush()
                os.fsync(out.fileno())
            tmp.replace(self.path)
        except OSError as exc:
            log.error("cannot rewrite the reminders journal %s (%s)", self.path, exc)


def reminder_entry(key: str, reminder: NewReminder) -> dict[str, Any]:
    """The `add` entry of a promise the database refused."""
    return {"op": "add", "key": key, "reminder": asdict(reminder)}


def reminder_of(entry: dict[str, Any]) -> NewReminder | None:
    """The promise an `add` entry holds (None if the entry is unreadable)."""
    try:
        data = dict(entry["reminder"])
        data["due_at"] = datetime.fromisoformat(data["due_at"])
        return NewReminder(**data)
    except (KeyError, TypeError, ValueError):
        return None


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")
