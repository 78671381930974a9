"""Hard conversations on SQLite: the upsert's merge in SQLite's words (`max` of two values)."""

from __future__ import annotations

from bot.store.sql.conversations import SqlConversations
from bot.store.sqlite.connection import SqliteFile


class SqliteConversations(SqlConversations, SqliteFile):
    """`Conversations` on the shared SQLite connection."""

    _TOUCH = (
        "INSERT INTO conversations (platform, workspace, channel, thread, agent, last_at,"
        " nudges, abuse, lang, register) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (platform, workspace, channel, thread, agent) DO UPDATE SET"
        " last_at = max(last_at, excluded.last_at), nudges = nudges + excluded.nudges,"
        " abuse = max(abuse, excluded.abuse), lang = coalesce(excluded.lang, lang),"
        " register = coalesce(excluded.register, register)"
    )
