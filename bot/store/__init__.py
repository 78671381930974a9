"""Persistence behind a small protocol; `SqliteStore` is the one-file implementation."""

from bot.errors import StoreError, StoreLocked, StoreReadOnly
from bot.store.base import (
    AgentStats,
    FollowupStats,
    NewNudge,
    NewReminder,
    NudgeRow,
    ReminderRow,
    RuleStats,
    Store,
    TeamStats,
    UserRow,
    WorkspaceRow,
)
from bot.store.sqlite import SqliteStore

__all__ = [
    "AgentStats",
    "FollowupStats",
    "NewNudge",
    "NewReminder",
    "NudgeRow",
    "ReminderRow",
    "RuleStats",
    "SqliteStore",
    "Store",
    "StoreError",
    "StoreLocked",
    "StoreReadOnly",
    "TeamStats",
    "UserRow",
    "WorkspaceRow",
]
