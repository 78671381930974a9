"""The outbox on PostgreSQL: a send queued by one instance is sent by another if it dies (the
rest is `bot.store.sql.queues`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.base import OutboxItem
from bot.store.postgres.connection import guarded
from bot.store.postgres.queues import PgQueues
from bot.store.sql.queues import OUTBOX_COLUMNS, OUTBOX_INSERT, SqlOutbox


class PgOutbox(SqlOutbox, PgQueues):
    """`Outbox` on the shared pool."""

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
        row = self._one(
            f"{OUTBOX_INSERT} RETURNING {OUTBOX_COLUMNS}",
            (platform, workspace, kind, payload, self._at(now), owner, self._at(now + lease)),
        )
        assert row is not None
        return self._outbox_item(row)
