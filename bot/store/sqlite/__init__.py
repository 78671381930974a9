"""`SqliteStore`: the `Store` on one SQLite file via sqlite-utils (WAL, migrations at start).

One connection (`connection.py`) shared by one class per concern; `SqliteStore` composes them.
"""

from __future__ import annotations

from bot.store.sql.digests import SqlDigests
from bot.store.sql.questions import SqlLeadZones, SqlOpenQuestions
from bot.store.sql.queues import SqlInbox, SqlOutbox
from bot.store.sql.seen import SqlConversationRefs
from bot.store.sqlite.conversations import SqliteConversations
from bot.store.sqlite.nudges import SqliteNudges
from bot.store.sqlite.people import SqlitePeople
from bot.store.sqlite.queues import SqliteQueues
from bot.store.sqlite.reminders import SqliteReminders
from bot.store.sqlite.seen import SqliteSeenEvents
from bot.store.sqlite.team_rules import SqliteTeamPhrases


class SqliteStore(
    SqlitePeople,
    SqliteNudges,
    SqliteReminders,
    SqliteSeenEvents,
    SqlConversationRefs,
    SqlDigests,
    SqliteTeamPhrases,
    SqliteConversations,
    SqlInbox,
    SqlOutbox,
    SqliteQueues,
    SqlOpenQuestions,
    SqlLeadZones,
):
    """All of Calma's state in one SQLite file."""


__all__ = ["SqliteStore"]
