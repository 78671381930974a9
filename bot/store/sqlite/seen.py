"""Seen event ids on SQLite: the dedupe every door's redeliveries go through."""

from __future__ import annotations

from datetime import timedelta

from bot.store.convert import to_iso
from bot.store.sqlite.connection import SqliteFile, guarded


class SqliteSeenEvents(SqliteFile):
    """`SeenEvents` on the shared SQLite connection."""

    @guarded
    def mark_seen(self, platform: str, event_id: str) -> bool:
        return self._changed(
            "INSERT OR IGNORE INTO seen_events (platform, event_id, seen_at) VALUES (?, ?, ?)",
            (platform, event_id, to_iso(self._clock.now())),
        )

    @guarded
    def unmark_seen(self, platform: str, event_ids: list[str]) -> int:
        return sum(
            self._rowcount(
                "DELETE FROM seen_events WHERE platform = ? AND event_id = ?", (platform, event)
            )
            for event in event_ids
        )

    @guarded
    def prune_seen(self, older_than_days: int = 7) -> int:
        cutoff = self._clock.now() - timedelta(days=older_than_days)
        return self._rowcount("DELETE FROM seen_events WHERE seen_at < ?", (to_iso(cutoff),))
