"""Reminders on SQLite: rows are the truth the scheduler re-arms from and records delivery in
(the one-statement reads and writes are `bot.store.sql.reminders`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.store.base import ReminderRow
from bot.store.convert import to_iso
from bot.store.sql.reminders import INSERT_COLUMNS, OPEN, REMINDER_INSERT, SqlReminders
from bot.store.sqlite.connection import SqliteFile, guarded

# Pending, due, and held by no live lease (or by the asking instance itself).
_CLAIMABLE = (
    "status = 'pending' AND due_at <= ?"
    " AND (lease_until IS NULL OR lease_until < ? OR claimed_by = ?)"
)


class SqliteReminders(SqlReminders, SqliteFile):
    """`Reminders` on the shared SQLite connection."""

    def _insert_reminder(self, values: tuple[Any, ...]) -> ReminderRow:
        cursor = self.db.conn.execute(REMINDER_INSERT, values)
        assert cursor.lastrowid is not None
        return self._reminder(
            {
                **dict(zip(INSERT_COLUMNS, values, strict=True)),
                "id": cursor.lastrowid,
                "status": "pending",
                "sent_at": None,
                "late": False,
                "attempts": 0,
                "last_error": None,
                "done_at": None,
            }
        )

    @guarded
    def pending_due_times(self) -> list[tuple[int, datetime]]:
        parse = datetime.fromisoformat
        cursor = self.db.execute("SELECT id, due_at FROM reminders WHERE status = 'pending'")
        return [(row_id, parse(due)) for row_id, due in cursor]

    @guarded
    def pending_due_between(
        self, after: datetime | None, until: datetime
    ) -> list[tuple[int, datetime]]:
        parse = datetime.fromisoformat
        sql = "SELECT id, due_at FROM reminders WHERE status = 'pending' AND due_at <= ?"
        params: tuple[str, ...] = (to_iso(until),)
        if after is not None:
            sql += " AND due_at > ?"
            params += (to_iso(after),)
        return [(row_id, parse(due)) for row_id, due in self.db.execute(sql, params)]

    @guarded
    def record_failure(self, reminder_id: int, error: str) -> int:
        with self.db.atomic():
            self.db.execute(
                "UPDATE reminders SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                (error[:500], reminder_id),
            )
            row = self._one("SELECT attempts FROM reminders WHERE id = ?", (reminder_id,))
        return int(row["attempts"]) if row else 0

    @guarded
    def snooze(self, reminder_id: int, new_due: datetime) -> ReminderRow | None:
        changed = self._rowcount(
            "UPDATE reminders SET due_at = ?, status = 'pending', sent_at = NULL, late = 0,"
            " attempts = 0, last_error = NULL, claimed_by = NULL, lease_until = NULL"
            f" WHERE id = ? AND status IN {OPEN}",
            (to_iso(new_due), reminder_id),
        )
        return self.get_reminder(reminder_id) if changed else None

    @guarded
    def mark_done(self, reminder_id: int, at: datetime) -> bool:
        return self._changed(
            f"UPDATE reminders SET status = 'done', done_at = ? WHERE id = ? AND status IN {OPEN}",
            (to_iso(at), reminder_id),
        )

    @guarded
    def cancel_reminder(self, reminder_id: int) -> bool:
        return self._changed(
            f"UPDATE reminders SET status = 'cancelled' WHERE id = ? AND status IN {OPEN}",
            (reminder_id,),
        )

    @guarded
    def claim(self, reminder_id: int, owner: str, now: datetime, lease: timedelta) -> bool:
        return self._changed(
            f"UPDATE reminders SET claimed_by = ?, lease_until = ? WHERE id = ? AND {_CLAIMABLE}",
            (owner, to_iso(now + lease), reminder_id, to_iso(now), to_iso(now), owner),
        )

    @guarded
    def claim_due(self, owner: str, now: datetime, lease: timedelta, limit: int = 100) -> list[int]:
        with self.db.atomic():  # one writer at a time on SQLite: no row can be claimed twice
            ids = [
                row_id
                for (row_id,) in self.db.execute(
                    f"SELECT id FROM reminders WHERE {_CLAIMABLE} ORDER BY due_at, id LIMIT ?",
                    (to_iso(now), to_iso(now), owner, limit),
                )
            ]
            self.db.conn.executemany(
                "UPDATE reminders SET claimed_by = ?, lease_until = ? WHERE id = ?",
                [(owner, to_iso(now + lease), row_id) for row_id in ids],
            )
        return ids
