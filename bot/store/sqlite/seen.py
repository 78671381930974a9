"""Seen event ids on SQLite: the dedupe every door's redeliveries go through (the rest is
`bot.store.sql.seen`)."""

from __future__ import annotations

from bot.store.sql.seen import SqlSeenEvents
from bot.store.sqlite.connection import SqliteFile, guarded


class SqliteSeenEvents(SqlSeenEvents, SqliteFile):
    """`SeenEvents` on the shared SQLite connection."""

    @guarded
    def unmark_seen(self, platform: str, event_ids: list[str]) -> int:
        return sum(
            self._rowcount(
                "DELETE FROM seen_events WHERE platform = ? AND event_id = ?", (platform, event)
            )
            for event in event_ids
        )
