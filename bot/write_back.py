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
    """A FIFO of refused reminders; `flush` writes them until the database refuses again.

    Each carries a key: the name of its entry in the journal beside the database (bot/journal.py),
    which keeps it across a stop until it is written.
    """

    def __init__(self) -> None:
        self._waiting: deque[tuple[str, NewReminder]] = deque()

    def put(self, reminder: NewReminder, key: str = "") -> None:
        """Hold a reminder the database refused."""
        self._waiting.append((key, reminder))

    def flush(self, store: Reminders) -> list[ReminderRow]:
        """Write the held reminders in order; stop at the first refusal. The rows written."""
        written: list[ReminderRow] = []
        while self._waiting:
            try:
                written.append(store.add_reminder(self._waiting[0][1]))
            except StoreError:
                break
            self._waiting.popleft()
        return written

    def waiting(self) -> list[tuple[str, NewReminder]]:
        """The held reminders with their keys, in order."""
        return list(self._waiting)

    def __len__(self) -> int:
        return len(self._waiting)
