"""Seen event ids on PostgreSQL: one insert decides, across every instance, who handles an event
(the rest is `bot.store.sql.seen`)."""

from __future__ import annotations

from bot.store.postgres.connection import PgDatabase, guarded
from bot.store.sql.seen import SqlSeenEvents


class PgSeenEvents(SqlSeenEvents, PgDatabase):
    """`SeenEvents` on the shared pool."""

    @guarded
    def unmark_seen(self, platform: str, event_ids: list[str]) -> int:
        return self._rowcount(
            "DELETE FROM seen_events WHERE platform = %s AND event_id = ANY(%s)",
            (platform, event_ids),
        )
