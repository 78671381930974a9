"""Reminders: the rows are the truth the scheduler arms from and records delivery in."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Protocol

from bot.store.base import PENDING_ONLY, NewReminder, ReminderRow, ReminderStatus


class Reminders(Protocol):
    """Add, read and move reminder rows. Methods raise `StoreError` (a write is never dropped)."""

    def add_reminder(self, reminder: NewReminder) -> ReminderRow:
        """Store a pending reminder (the write raises rather than drop it)."""
        ...

    def get_reminder(self, reminder_id: int) -> ReminderRow | None:
        """The reminder, or None."""
        ...

    def pending_reminders(self) -> list[ReminderRow]:
        """Every pending reminder, earliest first."""
        ...

    def pending_due_times(self) -> list[tuple[int, datetime]]:
        """(id, due_at) of every pending reminder: the light list timers are re-armed from."""
        ...

    def pending_due_between(
        self, after: datetime | None, until: datetime
    ) -> list[tuple[int, datetime]]:
        """(id, due_at) of the pending reminders due after `after` (None: any time before) and at
        or before `until`: the timers' horizon, read from the (status, due_at) index."""
        ...

    def reminders_for_user(
        self,
        platform: str,
        workspace: str,
        user: str,
        statuses: Collection[ReminderStatus] = PENDING_ONLY,
    ) -> list[ReminderRow]:
        """The user's reminders in the given statuses, earliest due first."""
        ...

    def mark_sent(
        self, reminder_id: int, at: datetime, late: bool, *, due_at: datetime | None = None
    ) -> bool:
        """Record delivery; True only for the one caller that moved it from pending.

        With `due_at`, only if the row is still due then (a snooze during the send wins).
        """
        ...

    def record_failure(self, reminder_id: int, error: str) -> int:
        """Count a failed delivery attempt and keep its error; returns the attempt count."""
        ...

    def snooze(self, reminder_id: int, new_due: datetime) -> ReminderRow | None:
        """Move a pending or sent reminder to `new_due`, pending again; None if not possible."""
        ...

    def mark_done(self, reminder_id: int, at: datetime) -> bool:
        """Mark a pending or sent reminder done; False if it was not open."""
        ...

    def cancel_reminder(self, reminder_id: int) -> bool:
        """Cancel a pending or sent reminder; False if it was not open."""
        ...

    def claim(self, reminder_id: int, owner: str, now: datetime, lease: timedelta) -> bool:
        """Take a due pending reminder for `owner` until `now + lease`; False when another
        instance holds a live lease on it (or it is not due, or no longer pending)."""
        ...

    def claim_due(self, owner: str, now: datetime, lease: timedelta, limit: int = 100) -> list[int]:
        """Claim up to `limit` due pending reminders no live lease holds; their ids, earliest
        first. Rows another instance is claiming at the same moment are skipped, not waited for."""
        ...

    def release(self, reminder_id: int, owner: str, until: datetime | None = None) -> None:
        """End `owner`'s lease now (None) or at `until` (a retry after a failed send)."""
        ...
