"""`Conversations` in the SQL SQLite and PostgreSQL share; only the upsert's merge is worded per
dialect (`_TOUCH`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from bot.store.conversations import ConversationRow
from bot.store.sql import SqlTables, guarded

_COLUMNS = (
    "id, platform, workspace, channel, thread, agent, last_at, nudges, abuse, escalated, lang,"
    " register, offered_at"
)


class SqlConversations(SqlTables):
    """`Conversations` on either store's connection."""

    _TOUCH: ClassVar[str]  # INSERT … ON CONFLICT DO UPDATE, ten `?` marks, merging the counts

    def _conversation(self, row: dict[str, Any]) -> ConversationRow:
        return ConversationRow(
            id=row["id"],
            platform=row["platform"],
            workspace=row["workspace"],
            channel=row["channel"],
            thread=row["thread"],
            agent=row["agent"],
            last_at=self._instant_required(row["last_at"]),
            nudges=row["nudges"],
            abuse=bool(row["abuse"]),
            escalated=bool(row["escalated"]),
            lang=row["lang"],
            register=row["register"],
            offered_at=self._instant(row["offered_at"]),
        )

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
        self._rowcount(
            self._TOUCH,
            (
                platform,
                workspace,
                channel,
                thread or "",
                agent,
                self._at(at),
                nudges,
                abuse,
                lang,
                register,
            ),
        )

    @guarded
    def mark_escalated(self, platform: str, workspace: str, channel: str, agent: str) -> int:
        return self._rowcount(
            "UPDATE conversations SET escalated = TRUE WHERE platform = ? AND workspace = ?"
            " AND channel = ? AND agent = ? AND offered_at IS NULL",
            (platform, workspace, channel, agent),
        )

    @guarded
    def quiet_hard_conversations(
        self, quiet_since: datetime, min_nudges: int
    ) -> list[ConversationRow]:
        return [
            self._conversation(row)
            for row in self._all(
                f"SELECT {_COLUMNS} FROM conversations WHERE offered_at IS NULL"
                " AND last_at <= ? AND (abuse OR escalated OR nudges >= ?) ORDER BY last_at",
                (self._at(quiet_since), min_nudges),
            )
        ]

    @guarded
    def mark_offered(self, conversation_id: int, at: datetime) -> bool:
        return self._changed(
            "UPDATE conversations SET offered_at = ? WHERE id = ? AND offered_at IS NULL",
            (self._at(at), conversation_id),
        )

    @guarded
    def get_conversation(self, conversation_id: int) -> ConversationRow | None:
        row = self._one(f"SELECT {_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,))
        return None if row is None else self._conversation(row)
