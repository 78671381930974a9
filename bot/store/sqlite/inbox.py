"""The inbox on SQLite: events kept before the door answers, until handled (the rest is
`bot.store.sql.queues`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.base import InboxItem
from bot.store.sql.queues import INBOX_INSERT, SqlInbox
from bot.store.sqlite.connection import guarded
from bot.store.sqlite.queues import SqliteQueues


class SqliteInbox(SqlInbox, SqliteQueues):
    """`Inbox` on the shared SQLite connection."""

    @guarded
    def inbox_put(
        self, platform: str, key: str, body: str, owner: str, now: datetime, lease: timedelta
    ) -> InboxItem | None:
        cursor = self.db.execute(
            INBOX_INSERT,
            (platform, key, body, self._at(now), owner, self._at(now + lease)),
        )
        if cursor.rowcount != 1 or cursor.lastrowid is None:
            return None
        return InboxItem(cursor.lastrowid, platform, key, body, now, 1)
