"""Reminders on SQLite: rows are the truth the scheduler re-arms from and records delivery in."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any, cast

from bot.store.base import PENDING_ONLY, NewReminder, ReminderRow, ReminderStatus
from bot.store.convert import excerpt, from_iso, from_iso_required, to_iso
from bot.store.sqlite.connection import SqliteFile, guarded

_OPEN = "('pending', 'sent')"
# Pending, due, and held by no live lease (or by the asking instance itself).
_CLAIMABLE = (
    "status = 'pending' AND due_at <= ?"
    " AND (lease_until IS NULL OR lease_until < ? OR claimed_by = ?)"
)
_REMINDER_COLUMNS = (
    "id, platform, workspace, user, channel, thread, message_ref, permalink, text, due_at,"
    " created_at, status, sent_at, late, attempts, last_error, lang, done_at"
)


class SqliteReminders(SqliteFile):
    """`Reminders` on the shared SQLite connection."""

    @guarded
    def add_reminder(self, reminder: NewReminder) -> ReminderRow:
        created = self._clock.now()
        text = excerpt(reminder.text)
        cursor = self.db.execute(
            "INSERT INTO reminders (platform, workspace, user, channel, thread, message_ref,"
            " permalink, text, due_at, created_at, lang) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                reminder.platform,
                reminder.workspace,
                reminder.user,
                reminder.channel,
                reminder.thread,
                reminder.message_ref,
                reminder.permalink,
                text,
                to_iso(reminder.due_at),
                to_iso(created),
                reminder.lang,
            ),
        )
        assert cursor.lastrowid is not None
        return ReminderRow(
            id=cursor.lastrowid,
            platform=reminder.platform,
            workspace=reminder.workspace,
            user=reminder.user,
            channel=reminder.channel,
            thread=reminder.thread,
            message_ref=reminder.message_ref,
            permalink=reminder.permalink,
            text=text,
            due_at=from_iso_required(to_iso(reminder.due_at)),
            created_at=from_iso_required(to_iso(created)),
            status="pending",
            sent_at=None,
            late=False,
            attempts=0,
            last_error=None,
            lang=reminder.lang,
        )

    def _reminders(self, where: str, params: tuple[Any, ...]) -> list[ReminderRow]:
        return [
            _reminder_row(row)
            for row in self.db.query(
                f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE {where}", params
            )
        ]

    @guarded
    def get_reminder(self, reminder_id: int) -> ReminderRow | None:
        rows = self._reminders("id = ?", (reminder_id,))
        return rows[0] if rows else None

    @guarded
    def pending_reminders(self) -> list[ReminderRow]:
        return self._reminders("status = 'pending' ORDER BY due_at, id", ())

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
            f"platform = ? AND workspace = ? AND user = ? AND status IN ({marks})"
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
        params: tuple[Any, ...] = (to_iso(at), int(late), reminder_id)
        if due_at is not None:
            sql += " AND due_at = ?"
            params += (to_iso(due_at),)
        return self._changed(sql + " AND status = 'pending'", params)

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
            f" WHERE id = ? AND status IN {_OPEN}",
            (to_iso(new_due), reminder_id),
        )
        return self.get_reminder(reminder_id) if changed else None

    @guarded
    def mark_done(self, reminder_id: int, at: datetime) -> bool:
        return self._changed(
            f"UPDATE reminders SET status = 'done', done_at = ? WHERE id = ? AND status IN {_OPEN}",
            (to_iso(at), reminder_id),
        )

    @guarded
    def cancel_reminder(self, reminder_id: int) -> bool:
        return self._changed(
            f"UPDATE reminders SET status = 'cancelled' WHERE id = ? AND status IN {_OPEN}",
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

    @guarded
    def release(self, reminder_id: int, owner: str, until: datetime | None = None) -> None:
        self.db.execute(
            "UPDATE reminders SET lease_until = ? WHERE id = ? AND claimed_by = ?",
            (None if until is None else to_iso(until), reminder_id, owner),
        )


def _reminder_row(row: dict[str, Any]) -> ReminderRow:
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
        due_at=from_iso_required(row["due_at"]),
        created_at=from_iso_required(row["created_at"]),
        status=cast(ReminderStatus, row["status"]),
        sent_at=from_iso(row["sent_at"]),
        late=bool(row["late"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        lang=row["lang"],
        done_at=from_iso(row["done_at"]),
    )
