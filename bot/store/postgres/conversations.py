"""Hard conversations on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.store.conversations import ConversationRow
from bot.store.convert import aware
from bot.store.postgres.connection import PgDatabase, guarded

_COLUMNS = (
    "id, platform, workspace, channel, thread, agent, last_at, nudges, abuse, escalated, lang,"
    " register, offered_at"
)


class PgConversations(PgDatabase):
    """`Conversations` on the shared pool."""

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
            "INSERT INTO conversations AS c (platform, workspace, channel, thread, agent,"
            " last_at, nudges, abuse, lang, register)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (platform, workspace, channel, thread, agent) DO UPDATE SET"
            " last_at = greatest(c.last_at, excluded.last_at),"
            " nudges = c.nudges + excluded.nudges, abuse = c.abuse OR excluded.abuse,"
            " lang = coalesce(excluded.lang, c.lang),"
            " register = coalesce(excluded.register, c.register)",
            (
                platform,
                workspace,
                channel,
                thread or "",
                agent,
                aware(at),
                nudges,
                abuse,
                lang,
                register,
            ),
        )

    @guarded
    def mark_escalated(self, platform: str, workspace: str, channel: str, agent: str) -> int:
        return self._rowcount(
            "UPDATE conversations SET escalated = TRUE WHERE platform = %s AND workspace = %s"
            " AND channel = %s AND agent = %s AND offered_at IS NULL",
            (platform, workspace, channel, agent),
        )

    @guarded
    def quiet_hard_conversations(
        self, quiet_since: datetime, min_nudges: int
    ) -> list[ConversationRow]:
        return [
            ConversationRow(**row)
            for row in self._all(
                f"SELECT {_COLUMNS} FROM conversations WHERE offered_at IS NULL"
                " AND last_at <= %s AND (abuse OR escalated OR nudges >= %s) ORDER BY last_at",
                (quiet_since, min_nudges),
            )
        ]

    @guarded
    def mark_offered(self, conversation_id: int, at: datetime) -> bool:
        return self._changed(
            "UPDATE conversations SET offered_at = %s WHERE id = %s AND offered_at IS NULL",
            (aware(at), conversation_id),
        )

    @guarded
    def get_conversation(self, conversation_id: int) -> ConversationRow | None:
        row = self._one(f"SELECT {_COLUMNS} FROM conversations WHERE id = %s", (conversation_id,))
        return None if row is None else ConversationRow(**row)
