"""Conversation references on PostgreSQL: how any instance reaches a person privately (Teams)."""

from __future__ import annotations

from bot.store.postgres.connection import PgDatabase, guarded


class PgConversationRefs(PgDatabase):
    """`ConversationRefs` on the shared pool."""

    @guarded
    def save_conversation_ref(
        self, platform: str, workspace: str, user: str, ref_json: str
    ) -> None:
        self._rowcount(
            'INSERT INTO conversation_refs (platform, workspace, "user", ref_json, updated_at)'
            ' VALUES (%s, %s, %s, %s, %s) ON CONFLICT (platform, workspace, "user")'
            " DO UPDATE SET ref_json = excluded.ref_json, updated_at = excluded.updated_at",
            (platform, workspace, user, ref_json, self._clock.now()),
        )

    @guarded
    def conversation_ref(self, platform: str, workspace: str, user: str) -> str | None:
        row = self._one(
            "SELECT ref_json FROM conversation_refs"
            ' WHERE platform = %s AND workspace = %s AND "user" = %s',
            (platform, workspace, user),
        )
        return None if row is None else str(row["ref_json"])
