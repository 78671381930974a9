"""Reminders the database refused to store, held in order until a write succeeds.

The database is the only truth about reminders; this queue is the one place a promise waits when
the database will not take it (locked, read-only for a moment). It is never armed as a reminder.
"""

from __future__ import annotations

from collections import deque

from bot.errors import StoreError
from bot.store.base import NewReminder, ReminderRow
from bot.store.reminders import Reminders


class WriteBack:
    """A FIFO of refused reminders; `flush` writes them until the database refuses again."""

    def __init__(self) -> None:
        self._waiting: deque[NewReminder] = deque()

    def put(self, reminder: NewReminder) -> None:
        """Hold a reminder the database refused."""
        self._waiting.append(reminder)

    def flush(self, store: Reminders) -> list[ReminderRow]:
        """Write the held reminders in order; stop at the first refusal. The rows written."""
        written: list[ReminderRow] = []
        while self._waiting:
            try:
                written.append(store.add_reminder(self._waiting[0]))
            except StoreError:
                break
            self._waiting.popleft()
        return written

    def __len__(self) -> int:
        return len(self._waiting)
