"""Seen event ids on PostgreSQL: one insert decides, across every instance, who handles an event."""

from __future__ import annotations

from datetime import timedelta

from bot.store.postgres.connection import PgDatabase, guarded


class PgSeenEvents(PgDatabase):
    """`SeenEvents` on the shared pool."""

    @guarded
    def mark_seen(self, platform: str, event_id: str) -> bool:
        return self._changed(
            "INSERT INTO seen_events (platform, event_id, seen_at) VALUES (%s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (platform, event_id, self._clock.now()),
        )

    @guarded
    def unmark_seen(self, platform: str, event_ids: list[str]) -> int:
        return self._rowcount(
            "DELETE FROM seen_events WHERE platform = %s AND event_id = ANY(%s)",
            (platform, event_ids),
        )

    @guarded
    def prune_seen(self, older_than_days: int = 7) -> int:
        cutoff = self._clock.now() - timedelta(days=older_than_days)
        return self._rowcount("DELETE FROM seen_events WHERE seen_at < %s", (cutoff,))
