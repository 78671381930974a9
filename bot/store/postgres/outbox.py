"""The outbox on PostgreSQL: a send queued by one instance is sent by another if it dies."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from bot.store.base import OutboxItem
from bot.store.postgres.connection import PgDatabase, guarded

_COLUMNS = "id, platform, workspace, kind, payload, created_at, attempts"


class PgOutbox(PgDatabase):
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
            "INSERT INTO outbox (platform, workspace, kind, payload, created_at, claimed_by,"
            f" lease_until) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING {_COLUMNS}",
            (platform, workspace, kind, payload, now, owner, now + lease),
        )
        assert row is not None
        return OutboxItem(**row)

    @guarded
    def outbox_claim(
        self,
        platforms: Collection[str],
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int = 50,
    ) -> list[OutboxItem]:
        if not platforms:
            return []
        rows = self._all(
            "UPDATE outbox SET claimed_by = %(owner)s, lease_until = %(until)s,"
            " attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox"
            " WHERE lease_until < %(now)s AND platform = ANY(%(platforms)s)"
            " ORDER BY id LIMIT %(limit)s FOR UPDATE SKIP LOCKED)"
            f" RETURNING {_COLUMNS}",
            {
                "owner": owner,
                "until": now + lease,
                "now": now,
                "platforms": list(platforms),
                "limit": limit,
            },
        )
        return sorted((OutboxItem(**row) for row in rows), key=lambda item: item.id)

    @guarded
    def outbox_sent(self, item_id: int) -> None:
        self._rowcount("DELETE FROM outbox WHERE id = %s", (item_id,))

    @guarded
    def outbox_depth(self) -> int:
        row = self._one("SELECT count(*) AS n FROM outbox")
        return int(row["n"]) if row else 0
