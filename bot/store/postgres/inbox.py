"""The inbox on PostgreSQL: one row per event across every instance; the first to receive it
keeps it (`ON CONFLICT DO NOTHING`), and any instance replays it when that one's lease ends."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from bot.store.base import InboxItem
from bot.store.postgres.connection import PgDatabase, guarded

_COLUMNS = "id, platform, key, body, received_at, attempts"


class PgInbox(PgDatabase):
    """`Inbox` on the shared pool."""

    @guarded
    def inbox_put(
        self, platform: str, key: str, body: str, owner: str, now: datetime, lease: timedelta
    ) -> InboxItem | None:
        row = self._one(
            "INSERT INTO inbox (platform, key, body, received_at, claimed_by, lease_until)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
            f" RETURNING {_COLUMNS}",
            (platform, key, body, now, owner, now + lease),
        )
        return None if row is None else InboxItem(**row)

    @guarded
    def inbox_claim(
        self,
        platforms: Collection[str],
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int = 50,
    ) -> list[InboxItem]:
        if not platforms:
            return []
        rows = self._all(
            "UPDATE inbox SET claimed_by = %(owner)s, lease_until = %(until)s,"
            " attempts = attempts + 1 WHERE id IN (SELECT id FROM inbox"
            " WHERE done_at IS NULL AND lease_until < %(now)s AND platform = ANY(%(platforms)s)"
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
        return sorted(
            (InboxItem(**{**row, "body": row["body"] or ""}) for row in rows), key=lambda i: i.id
        )

    @guarded
    def inbox_done(self, item_id: int, now: datetime, error: str | None = None) -> None:
        self._rowcount(
            "UPDATE inbox SET done_at = %s, body = NULL, error = %s, lease_until = NULL"
            " WHERE id = %s",
            (now, None if error is None else error[:500], item_id),
        )

    @guarded
    def inbox_prune(self, older_than: datetime) -> int:
        return self._rowcount(
            "DELETE FROM inbox WHERE done_at IS NOT NULL AND received_at < %s", (older_than,)
        )
