"""The outbox on SQLite: replies that leave after the HTTP answer, until sent (the rest is
`bot.store.sql.queues`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.base import OutboxItem
from bot.store.sql.queues import OUTBOX_INSERT, SqlOutbox
from bot.store.sqlite.connection import guarded
from bot.store.sqlite.queues import SqliteQueues


class SqliteOutbox(SqlOutbox, SqliteQueues):
    """`Outbox` on the shared SQLite connection."""

    @guarded
    def outbox_put(
        self,
        platform: str,
        workspace: str,
        kind: str,
        payload: str,
        owner: str,
        now: datetime,
        lease: timedelta,
    ) -> OutboxItem:
        cursor = self.db.execute(
            OUTBOX_INSERT,
            (platform, workspace, kind, payload, self._at(now), owner, self._at(now + lease)),
        )
        assert cursor.lastrowid is not None
        return OutboxItem(cursor.lastrowid, platform, workspace, kind, payload, now, 1)
