"""`Reminders` in the SQL SQLite and PostgreSQL share: the reminder row, reading reminders,
recording a delivery and releasing a lease. Adding, claiming and the status changes whose
statements differ are run per store."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from bot.store.base import PENDING_ONLY, NewReminder, ReminderRow, ReminderStatus
from bot.store.convert import excerpt
from bot.store.sql import SqlTables, guarded

OPEN = "('pending', 'sent')"
REMINDER_COLUMNS = (
    'id, platform, workspace, "user", channel, thread, message_ref, permalink, text, due_at,'
    " created_at, status, sent_at, late, attempts, last_error, lang, done_at"
)
INSERT_COLUMNS = (
    "platform",
    "workspace",
    "user",
    "channel",
    "thread",
    "message_ref",
    "permalink",
    "text",
    "due_at",
    "created_at",
    "lang",
)
REMINDER_INSERT = (
    'INSERT INTO reminders (platform, workspace, "user", channel, thread, message_ref,'
    " permalink, text, due_at, created_at, lang) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class SqlReminders(SqlTables):
    """The `Reminders` methods that are one statement in both dialects; each store runs
    `_insert_reminder`."""

    def _insert_reminder(self, values: tuple[Any, ...]) -> ReminderRow:
        """Run REMINDER_INSERT with `values` (in INSERT_COLUMNS order); the new row."""
        raise NotImplementedError

    @guarded
    def add_reminder(self, reminder: NewReminder) -> ReminderRow:
        return self._insert_reminder(
            (
                reminder.platform,
                reminder.workspace,
                reminder.user,
                reminder.channel,
                reminder.thread,
                reminder.message_ref,
                reminder.permalink,
                excerpt(reminder.text),
                self._at(reminder.due_at),
                self._at(self._clock.now()),
                reminder.lang,
            )
        )

    def _reminder(self, row: dict[str, Any]) -> ReminderRow:
        return ReminderRow(
            id=row["id"],
            platform=row["platform"],
            workspace=row["workspace"],
            user=row["user"],
            channel=row["channel"],
            thread=row["thread"],
            message_ref=row["message_ref"],
            permalink=row["permalink"],
            text=row["text"],
            due_at=self._instant_required(row["due_at"]),
            created_at=self._instant_required(row["created_at"]),
            status=cast(ReminderStatus, row["status"]),
            sent_at=self._instant(row["sent_at"]),
            late=bool(row["late"]),
            attempts=row["attempts"],
            last_error=row["last_error"],
            lang=row["lang"],
            done_at=self._instant(row["done_at"]),
        )

    def _reminders(self, where: str, params: tuple[Any, ...]) -> list[ReminderRow]:
        return [
            self._reminder(row)
            for row in self._all(f"SELECT {REMINDER_COLUMNS} FROM reminders WHERE {where}", params)
        ]

    @guarded
    def get_reminder(self, reminder_id: int) -> ReminderRow | None:
        rows = self._reminders("id = ?", (reminder_id,))
        return rows[0] if rows else None

    @guarded
    def pending_reminders(self) -> list[ReminderRow]:
        return self._reminders("status = 'pending' ORDER BY due_at, id", ())

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
        marks = ", ".join("?" for _ in statuses)
        return self._reminders(
            f'platform = ? AND workspace = ? AND "user" = ? AND status IN ({marks})'
            " ORDER BY due_at, id",
            (platform, workspace, user, *statuses),
        )

    @guarded
    def mark_sent(
        self, reminder_id: int, at: datetime, late: bool, *, due_at: datetime | None = None
    ) -> bool:
        sql = (
            "UPDATE reminders SET status = 'sent', sent_at = ?, late = ?, claimed_by = NULL,"
            " lease_until = NULL WHERE id = ?"
        )
        params: tuple[Any, ...] = (self._at(at), late, reminder_id)
        if due_at is not None:
            sql += " AND due_at = ?"
            params += (self._at(due_at),)
        return self._changed(sql + " AND status = 'pending'", params)

    @guarded
    def release(self, reminder_id: int, owner: str, until: datetime | None = None) -> None:
        self._rowcount(
            "UPDATE reminders SET lease_until = ? WHERE id = ? AND claimed_by = ?",
            (None if until is None else self._at(until), reminder_id, owner),
        )
