"""The inbox on PostgreSQL: one row per event across every instance; the first to receive it
keeps it (`ON CONFLICT DO NOTHING`), and any instance replays it when that one's lease ends (the
rest is `bot.store.sql.queues`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.base import InboxItem
from bot.store.postgres.connection import guarded
from bot.store.postgres.queues import PgQueues
from bot.store.sql.queues import INBOX_COLUMNS, INBOX_INSERT, SqlInbox


class PgInbox(SqlInbox, PgQueues):
    """`Inbox` on the shared pool."""

    @guarded
    def inbox_put(
        self, platform: str, key: str, body: str, owner: str, now: datetime, lease: timedelta
    ) -> InboxItem | None:
        row = self._one(
            f"{INBOX_INSERT} RETURNING {INBOX_COLUMNS}",
            (platform, key, body, self._at(now), owner, self._at(now + lease)),
        )
        return None if row is None else self._inbox_item(row)
