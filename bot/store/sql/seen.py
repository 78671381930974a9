"""`SeenEvents` and `ConversationRefs` in the SQL SQLite and PostgreSQL share."""

from __future__ import annotations

from datetime import timedelta

from bot.store.sql import SqlTables, guarded


class SqlSeenEvents(SqlTables):
    """Marking and pruning seen event ids (unmarking a batch is worded per dialect)."""

    @guarded
    def mark_seen(self, platform: str, event_id: str) -> bool:
        return self._changed(
            "INSERT INTO seen_events (platform, event_id, seen_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (platform, event_id, self._at(self._clock.now())),
        )

    @guarded
    def prune_seen(self, older_than_days: int = 7) -> int:
        cutoff = self._clock.now() - timedelta(days=older_than_days)
        return self._rowcount("DELETE FROM seen_events WHERE seen_at < ?", (self._at(cutoff),))


class SqlConversationRefs(SqlTables):
    """`ConversationRefs` on either store's connection."""

    @guarded
    def save_conversation_ref(
        self, platform: str, workspace: str, user: str, ref_json: str
    ) -> None:
        self._rowcount(
            'INSERT INTO conversation_refs (platform, workspace, "user", ref_json, updated_at)'
            ' VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, "user")'
            " DO UPDATE SET ref_json = excluded.ref_json, updated_at = excluded.updated_at",
            (platform, workspace, user, ref_json, self._at(self._clock.now())),
        )

    @guarded
    def conversation_ref(self, platform: str, workspace: str, user: str) -> str | None:
        row = self._one(
            "SELECT ref_json FROM conversation_refs"
            ' WHERE platform = ? AND workspace = ? AND "user" = ?',
            (platform, workspace, user),
        )
        return None if row is None else str(row["ref_json"])
