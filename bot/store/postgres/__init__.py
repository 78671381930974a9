"""`PgStore`: the `Store` on PostgreSQL (psycopg 3 and a connection pool), for several instances.

The same protocols as `SqliteStore`, one class per concern over one shared pool. What several
instances need on top — one truth for dedupe, fatigue and reminder claims — is in the SQL
(`ON CONFLICT DO NOTHING`, row locks, `FOR UPDATE SKIP LOCKED` with a lease).
"""

from __future__ import annotations

from bot.store.postgres.connection import is_postgres_url, redacted
from bot.store.postgres.conversations import PgConversations
from bot.store.postgres.nudges import PgNudges
from bot.store.postgres.people import PgPeople
from bot.store.postgres.queues import PgQueues
from bot.store.postgres.reminders import PgReminders
from bot.store.postgres.seen import PgSeenEvents
from bot.store.postgres.team_rules import PgTeamPhrases
from bot.store.sql.digests import SqlDigests
from bot.store.sql.questions import SqlLeadZones, SqlOpenQuestions
from bot.store.sql.queues import SqlInbox, SqlOutbox
from bot.store.sql.seen import SqlConversationRefs


class PgStore(
    PgPeople,
    PgNudges,
    PgReminders,
    PgSeenEvents,
    SqlConversationRefs,
    SqlDigests,
    PgTeamPhrases,
    PgConversations,
    SqlInbox,
    SqlOutbox,
    PgQueues,
    SqlOpenQuestions,
    SqlLeadZones,
):
    """All of Calma's state in one PostgreSQL database, shared by any number of instances."""


__all__ = ["PgStore", "is_postgres_url", "redacted"]
