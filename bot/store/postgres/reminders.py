"""Reminders on PostgreSQL: rows are the truth; claims with a lease make one instance send each
(the one-statement reads and writes are `bot.store.sql.reminders`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.store.base import ReminderRow
from bot.store.convert import aware
from bot.store.postgres.connection import PgDatabase, guarded
from bot.store.sql.reminders import OPEN, REMINDER_COLUMNS, REMINDER_INSERT, SqlReminders

# Pending, due, and held by no live lease (or by the asking instance itself).
_CLAIMABLE = (
    "status = 'pending' AND due_at <= %(now)s"
    " AND (lease_until IS NULL OR lease_until < %(now)s OR claimed_by = %(owner)s)"
)


class PgReminders(SqlReminders, PgDatabase):
    """`Reminders` on the shared pool."""

    def _insert_reminder(self, values: tuple[Any, ...]) -> ReminderRow:
        row = self._one(f"{REMINDER_INSERT} RETURNING {REMINDER_COLUMNS}", values)
        assert row is not None
        return self._reminder(row)

    @guarded
    def pending_due_times(self) -> list[tuple[int, datetime]]:
        with self.statement() as conn, conn.cursor(row_factory=_pair) as cursor:
            return cursor.execute(
                "SELECT id, due_at FROM reminders WHERE status = 'pending'"
            ).fetchall()

    @guarded
    def record_failure(self, reminder_id: int, error: str) -> int:
        row = self._one(
            "UPDATE reminders SET attempts = attempts + 1, last_error = %s WHERE id = %s"
            " RETURNING attempts",
            (error[:500], reminder_id),
        )
        return int(row["attempts"]) if row else 0

    @guarded
    def snooze(self, reminder_id: int, new_due: datetime) -> ReminderRow | None:
        rows = self._all(
            "UPDATE reminders SET due_at = %s, status = 'pending', sent_at = NULL, late = FALSE,"
            " attempts = 0, last_error = NULL, claimed_by = NULL, lease_until = NULL"
            f" WHERE id = %s AND status IN {OPEN} RETURNING {REMINDER_COLUMNS}",
            (aware(new_due), reminder_id),
        )
        return self._reminder(rows[0]) if rows else None

    @guarded
    def mark_done(self, reminder_id: int, at: datetime) -> bool:
        return self._changed(
            "UPDATE reminders SET status = 'done', done_at = %s, lease_until = NULL"
            f" WHERE id = %s AND status IN {OPEN}",
            (at, reminder_id),
        )

    @guarded
    def cancel_reminder(self, reminder_id: int) -> bool:
        return self._changed(
            "UPDATE reminders SET status = 'cancelled', lease_until = NULL"
            f" WHERE id = %s AND status IN {OPEN}",
            (reminder_id,),
        )

    @guarded
    def claim(self, reminder_id: int, owner: str, now: datetime, lease: timedelta) -> bool:
        row = self._one(
            "UPDATE reminders SET claimed_by = %(owner)s, lease_until = %(until)s"
            " WHERE id = (SELECT id FROM reminders WHERE id = %(id)s AND "
            + _CLAIMABLE
            + " FOR UPDATE SKIP LOCKED) RETURNING id",
            {"owner": owner, "until": now + lease, "id": reminder_id, "now": now},
        )
        return row is not None

    @guarded
    def claim_due(self, owner: str, now: datetime, lease: timedelta, limit: int = 100) -> list[int]:
        rows = self._all(
            "UPDATE reminders SET claimed_by = %(owner)s, lease_until = %(until)s"
            " WHERE id IN (SELECT id FROM reminders WHERE "
            + _CLAIMABLE
            + " ORDER BY due_at, id LIMIT %(limit)s FOR UPDATE SKIP LOCKED) RETURNING id, due_at",
            {"owner": owner, "until": now + lease, "now": now, "limit": limit},
        )
        return [int(row["id"]) for row in sorted(rows, key=lambda r: (r["due_at"], r["id"]))]


def _pair(cursor: Any) -> Any:
    """A row factory for (id, due_at) tuples."""
    return lambda values: (int(values[0]), values[1])
