"""Reminders on PostgreSQL: rows are the truth; claims with a lease make one instance send each."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from bot.store.base import PENDING_ONLY, NewReminder, ReminderRow, ReminderStatus
from bot.store.convert import aware, excerpt
from bot.store.postgres.connection import PgDatabase, guarded

_OPEN = "('pending', 'sent')"
_REMINDER_COLUMNS = (
    'id, platform, workspace, "user", channel, thread, message_ref, permalink, text, due_at,'
    " created_at, status, sent_at, late, attempts, last_error, lang, done_at"
)
# Pending, due, and held by no live lease (or by the asking instance itself).
_CLAIMABLE = (
    "status = 'pending' AND due_at <= %(now)s"
    " AND (lease_until IS NULL OR lease_until < %(now)s OR claimed_by = %(owner)s)"
)


class PgReminders(PgDatabase):
    """`Reminders` on the shared pool."""

    @guarded
    def add_reminder(self, reminder: NewReminder) -> ReminderRow:
        row = self._one(
            'INSERT INTO reminders (platform, workspace, "user", channel, thread, message_ref,'
            " permalink, text, due_at, created_at, lang)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            f" RETURNING {_REMINDER_COLUMNS}",
            (
                reminder.platform,
                reminder.workspace,
                reminder.user,
                reminder.channel,
                reminder.thread,
                reminder.message_ref,
                reminder.permalink,
                excerpt(reminder.text),
                aware(reminder.due_at),
                self._clock.now(),
                reminder.lang,
            ),
        )
        assert row is not None
        return ReminderRow(**row)

    def _reminders(self, where: str, params: tuple[Any, ...]) -> list[ReminderRow]:
        return [
            ReminderRow(**row)
            for row in self._all(f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE {where}", params)
        ]

    @guarded
    def get_reminder(self, reminder_id: int) -> ReminderRow | None:
        rows = self._reminders("id = %s", (reminder_id,))
        return rows[0] if rows else None

    @guarded
    def pending_reminders(self) -> list[ReminderRow]:
        return self._reminders("status = 'pending' ORDER BY due_at, id", ())

    @guarded
    def pending_due_times(self) -> list[tuple[int, datetime]]:
        with self.statement() as conn, conn.cursor(row_factory=_pair) as cursor:
            return cursor.execute(
                "SELECT id, due_at FROM reminders WHERE status = 'pending'"
            ).fetchall()

    @guarded
    def pending_due_between(
        self, after: datetime | None, until: datetime
    ) -> list[tuple[int, datetime]]:
        sql = "SELECT id, due_at FROM reminders WHERE status = 'pending' AND due_at <= %s"
        params: tuple[datetime, ...] = (aware(until),)
        if after is not None:
            sql += " AND due_at > %s"
            params += (aware(after),)
        with self.statement() as conn, conn.cursor(row_factory=_pair) as cursor:
            return cursor.execute(sql, params).fetchall()

    @guarded
    def reminders_for_user(
        self,
        platform: str,
        workspace: str,
        user: str,
        statuses: Collection[ReminderStatus] = PENDING_ONLY,
    ) -> list[ReminderRow]:
        if not statuses:
            return []
        return self._reminders(
            'platform = %s AND workspace = %s AND "user" = %s AND status = ANY(%s)'
            " ORDER BY due_at, id",
            (platform, workspace, user, list(statuses)),
        )

    @guarded
    def mark_sent(
        self, reminder_id: int, at: datetime, late: bool, *, due_at: datetime | None = None
    ) -> bool:
        sql = (
            "UPDATE reminders SET status = 'sent', sent_at = %s, late = %s, claimed_by = NULL,"
            " lease_until = NULL WHERE id = %s"
        )
        params: tuple[Any, ...] = (at, late, reminder_id)
        if due_at is not None:
            sql += " AND due_at = %s"
            params += (due_at,)
        return self._changed(sql + " AND status = 'pending'", params)

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
            f" WHERE id = %s AND status IN {_OPEN} RETURNING {_REMINDER_COLUMNS}",
            (aware(new_due), reminder_id),
        )
        return ReminderRow(**rows[0]) if rows else None

    @guarded
    def mark_done(self, reminder_id: int, at: datetime) -> bool:
        return self._changed(
            "UPDATE reminders SET status = 'done', done_at = %s, lease_until = NULL"
            f" WHERE id = %s AND status IN {_OPEN}",
            (at, reminder_id),
        )

    @guarded
    def cancel_reminder(self, reminder_id: int) -> bool:
        return self._changed(
            "UPDATE reminders SET status = 'cancelled', lease_until = NULL"
            f" WHERE id = %s AND status IN {_OPEN}",
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

    @guarded
    def release(self, reminder_id: int, owner: str, until: datetime | None = None) -> None:
        self._rowcount(
            "UPDATE reminders SET lease_until = %s WHERE id = %s AND claimed_by = %s",
            (until, reminder_id, owner),
        )


def _pair(cursor: Any) -> Any:
    """A row factory for (id, due_at) tuples."""
    return lambda values: (int(values[0]), values[1])
