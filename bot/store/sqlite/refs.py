"""Conversation references on SQLite: how a door reaches a person privately (Teams)."""

from __future__ import annotations

from bot.store.convert import to_iso
from bot.store.sqlite.connection import SqliteFile, guarded


class SqliteConversationRefs(SqliteFile):
    """`ConversationRefs` on the shared SQLite connection."""

    @guarded
    def save_conversation_ref(
        self, platform: str, workspace: str, user: str, ref_json: str
    ) -> None:
        self.db.execute(
            "INSERT INTO conversation_refs (platform, workspace, user, ref_json, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, user)"
            " DO UPDATE SET ref_json = excluded.ref_json, updated_at = excluded.updated_at",
            (platform, workspace, user, ref_json, to_iso(self._clock.now())),
        )

    @guarded
    def conversation_ref(self, platform: str, workspace: str, user: str) -> str | None:
        row = self._one(
            "SELECT ref_json FROM conversation_refs"
            " WHERE platform = ? AND workspace = ? AND user = ?",
            (platform, workspace, user),
        )
        return None if row is None else str(row["ref_json"])
