"""`Store`: everything the bot persists, composed of one small protocol per concern.

SQLite (`bot.store.sqlite.SqliteStore`, one process) and PostgreSQL (`bot.store.postgres.PgStore`,
several instances) implement it; tests/bot/store runs one suite against both.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from bot.ports import ConversationRefs
from bot.store.conversations import Conversations
from bot.store.digests import Digests
from bot.store.inbox import Inbox
from bot.store.nudges import Nudges
from bot.store.outbox import Outbox
from bot.store.people import People
from bot.store.questions import OpenQuestions
from bot.store.reads import ReadCache
from bot.store.reminders import Reminders
from bot.store.seen import SeenEvents
from bot.store.team_rules import TeamPhrases
from bot.store.zones import LeadZones


class Store(
    People,
    Nudges,
    Reminders,
    SeenEvents,
    ConversationRefs,
    Digests,
    TeamPhrases,
    Conversations,
    Inbox,
    Outbox,
    OpenQuestions,
    LeadZones,
    Protocol,
):
    """Everything the bot persists. Methods raise `StoreError` (never fail silently)."""

    reads: ReadCache  # a workspace's settings, read once a second (bot/store/reads.py)

    def health(self, wait: float = 0.2) -> dict[str, bool | str]:
        """{"read": …, "write": …} (and "error") for the readiness check; never raises."""
        ...

    def ping(self) -> None:
        """Raise `StoreError` unless the database answers (the health check)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...

    def batch(self) -> AbstractContextManager[None]:
        """The writes of the block committed together, where that saves work (one SQLite
        transaction: one commit instead of one per write; rolled back when the block raises).
        On PostgreSQL every call is already its own transaction on a pooled connection, possibly
        on another thread: there it changes nothing."""
        ...
