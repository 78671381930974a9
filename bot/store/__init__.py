"""Persistence behind small protocols, one per concern, composed into `Store`; `SqliteStore` is
the one-file implementation."""

from bot.errors import StoreError, StoreLocked, StoreReadOnly
from bot.ports import ConversationRefs
from bot.store.base import (
    AgentStats,
    FollowupStats,
    InboxItem,
    NewNudge,
    NewReminder,
    NudgeRow,
    OutboxItem,
    ReminderRow,
    RuleStats,
    TeamStats,
    UserRow,
    WorkspaceRow,
)
from bot.store.inbox import Inbox
from bot.store.nudges import Nudges
from bot.store.outbox import Outbox
from bot.store.people import People
from bot.store.protocol import Store
from bot.store.reminders import Reminders
from bot.store.seen import SeenEvents
from bot.store.sqlite import SqliteStore

__all__ = [
    "AgentStats",
    "ConversationRefs",
    "FollowupStats",
    "Inbox",
    "InboxItem",
    "NewNudge",
    "NewReminder",
    "NudgeRow",
    "Nudges",
    "Outbox",
    "OutboxItem",
    "People",
    "ReminderRow",
    "Reminders",
    "RuleStats",
    "SeenEvents",
    "SqliteStore",
    "Store",
    "StoreError",
    "StoreLocked",
    "StoreReadOnly",
    "TeamStats",
    "UserRow",
    "WorkspaceRow",
]
