"""Hard conversations on PostgreSQL: the upsert's merge in PostgreSQL's words (`greatest`, `OR`)."""

from __future__ import annotations

from bot.store.postgres.connection import PgDatabase
from bot.store.sql.conversations import SqlConversations


class PgConversations(SqlConversations, PgDatabase):
    """`Conversations` on the shared pool."""

    _TOUCH = (
        "INSERT INTO conversations AS c (platform, workspace, channel, thread, agent,"
        " last_at, nudges, abuse, lang, register) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (platform, workspace, channel, thread, agent) DO UPDATE SET"
        " last_at = greatest(c.last_at, excluded.last_at),"
        " nudges = c.nudges + excluded.nudges, abuse = c.abuse OR excluded.abuse,"
        " lang = coalesce(excluded.lang, c.lang),"
        " register = coalesce(excluded.register, c.register)"
    )
