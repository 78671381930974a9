"""Hard conversations on SQLite."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.store.conversations import ConversationRow
from bot.store.convert import from_iso, from_iso_required, to_iso
from bot.store.sqlite.connection import SqliteFile, guarded


def _row(row: dict[str, Any]) -> ConversationRow:
    return ConversationRow(
        id=row["id"],
        platform=row["platform"],
        workspace=row["workspace"],
        channel=row["channel"],
        thread=row["thread"],
        agent=row["agent"],
        last_at=from_iso_required(row["last_at"]),
        nudges=row["nudges"],
        abuse=bool(row["abuse"]),
        escalated=bool(row["escalated"]),
        lang=row["lang"],
        register=row["register"],
        offered_at=from_iso(row["offered_at"]),
    )


class SqliteConversations(SqliteFile):
    """`Conversations` on the shared SQLite connection."""

    @guarded
    def touch_conversation(
        self,
        platform: str,
        workspace: str,
        channel: str,
        thread: str | None,
        agent: str,
        *,
        at: datetime,
        nudges: int = 0,
        abuse: bool = False,
        lang: str | None = None,
        register: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT INTO conversations (platform, workspace, channel, thread, agent, last_at,"
            " nudges, abuse, lang, register) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (platform, workspace, channel, thread, agent) DO UPDATE SET"
            " last_at = max(last_at, excluded.last_at), nudges = nudges + excluded.nudges,"
            " abuse = max(abuse, excluded.abuse), lang = coalesce(excluded.lang, lang),"
            " register = coalesce(excluded.register, register)",
            (
                platform,
                workspace,
                channel,
                thread or "",
                agent,
                to_iso(at),
                nudges,
                int(abuse),
                lang,
                register,
            ),
        )

    @guarded
    def mark_escalated(self, platform: str, workspace: str, channel: str, agent: str) -> int:
        return self._rowcount(
            "UPDATE conversations SET escalated = 1 WHERE platform = ? AND workspace = ?"
            " AND channel = ? AND agent = ? AND offered_at IS NULL",
            (platform, workspace, channel, agent),
        )

    @guarded
    def quiet_hard_conversations(
        self, quiet_since: datetime, min_nudges: int
    ) -> list[ConversationRow]:
        return [
            _row(row)
            for row in self.db.query(
                "SELECT * FROM conversations WHERE offered_at IS NULL AND last_at <= ?"
                " AND (abuse = 1 OR escalated = 1 OR nudges >= ?) ORDER BY last_at",
                (to_iso(quiet_since), min_nudges),
            )
        ]

    @guarded
    def mark_offered(self, conversation_id: int, at: datetime) -> bool:
        return self._changed(
            "UPDATE conversations SET offered_at = ? WHERE id = ? AND offered_at IS NULL",
            (to_iso(at), conversation_id),
        )

    @guarded
    def get_conversation(self, conversation_id: int) -> ConversationRow | None:
        row = self._one("SELECT * FROM conversations WHERE id = ?", (conversation_id,))
        return None if row is None else _row(row)
