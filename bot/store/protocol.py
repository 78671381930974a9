"""`Store`: everything the bot persists, composed of one small protocol per concern.

SQLite (`bot.store.sqlite.SqliteStore`) implements it today; a PostgreSQL store for several
instances can implement the same protocols later, and tests/bot/store runs one suite against both.
"""

from __future__ import annotations

from typing import Protocol

from bot.ports import ConversationRefs
from bot.store.conversations import Conversations
from bot.store.digests import Digests
from bot.store.nudges import Nudges
from bot.store.people import People
from bot.store.reminders import Reminders
from bot.store.seen import SeenEvents
from bot.store.team_rules import TeamPhrases


class Store(
    People,
    Nudges,
    Reminders,
    SeenEvents,
    ConversationRefs,
    Digests,
    TeamPhrases,
    Conversations,
    Protocol,
):
    """Everything the bot persists. Methods raise `StoreError` (never fail silently)."""

    def close(self) -> None:
        """Release the connection."""
        ...
