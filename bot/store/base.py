"""The values a store keeps and hands back: rows, new rows and the leads' figures.

Every instant is a timezone-aware UTC `datetime`; message text is never stored beyond the excerpt
a nudge or a reminder needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

Role = Literal["agent", "lead"]
Outcome = Literal["useful", "not_applicable"]
ReminderStatus = Literal["pending", "sent", "done", "cancelled"]
PENDING_ONLY: tuple[ReminderStatus, ...] = ("pending",)

EXCERPT_MAX = 280  # characters kept of a nudged line or a promise; longer text is cut
ON_TIME_GRACE = timedelta(hours=1)  # a follow-up done this long after its due time is still on time


@dataclass(frozen=True)
class WorkspaceRow:
    """A Slack team or a Teams tenant and its settings."""

    platform: str
    id: str
    default_lang: str = "es"
    default_tz: str = "UTC"
    daily_cap: int = 20
    reminder_lead_minutes: int = 0
    installer: str | None = None


@dataclass(frozen=True)
class UserRow:
    """One person's settings in one workspace."""

    platform: str
    workspace: str
    user_id: str
    tz: str | None = None
    lang: str | None = None
    role: Role = "agent"
    muted_until: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class NewNudge:
    """A nudge about to be recorded: who, where, which rule, and the excerpt only."""

    platform: str
    workspace: str
    user: str
    channel: str
    rule: str
    category: str
    excerpt: str
    created_at: datetime


@dataclass(frozen=True)
class NudgeRow(NewNudge):
    """A recorded nudge (the new nudge, its id) and the feedback its author gave."""

    id: int
    outcome: Outcome | None = None


@dataclass(frozen=True)
class NewReminder:
    """A promise about to become a reminder row."""

    platform: str
    workspace: str
    user: str
    channel: str | None
    text: str  # the promised excerpt, not the whole message
    due_at: datetime
    thread: str | None = None
    message_ref: str | None = None
    permalink: str | None = None
    lang: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReminderRow(NewReminder):
    """A reminder as stored (the promise, and its delivery): the truth the timers are rebuilt
    from."""

    id: int
    created_at: datetime
    status: ReminderStatus
    sent_at: datetime | None
    late: bool
    attempts: int
    last_error: str | None
    done_at: datetime | None = None


@dataclass(frozen=True)
class RuleStats:
    """Nudges of one rule in a window and how their authors rated them."""

    rule: str
    category: str
    nudges: int
    useful: int
    not_applicable: int

    @property
    def not_applicable_rate(self) -> float:
        """Share of this rule's nudges marked "no aplica" (0.0 when none)."""
        return self.not_applicable / self.nudges if self.nudges else 0.0


@dataclass(frozen=True)
class FollowupStats:
    """Reminders due in a window: done in time, done late, still open, cancelled."""

    on_time: int = 0
    late: int = 0
    open: int = 0
    cancelled: int = 0


@dataclass(frozen=True)
class AgentStats:
    """One person's figures in a window (for leads, or for that person only)."""

    user: str
    nudges: int
    not_applicable: int
    followups: FollowupStats


@dataclass(frozen=True)
class TeamStats:
    """Aggregates for `/coach equipo`; the service decides who may see `agents`."""

    since: datetime
    until: datetime
    nudges: int
    by_category: tuple[tuple[str, int], ...]
    by_rule: tuple[RuleStats, ...]
    followups: FollowupStats
    agents: tuple[AgentStats, ...]


@dataclass(frozen=True)
class InboxItem:
    """A platform event kept before its HTTP answer, until it has been handled."""

    id: int
    platform: str
    key: str  # the platform's event id: a redelivery carries the same one
    body: str  # the raw request body, erased once handled
    received_at: datetime
    attempts: int
    # the body as the door already parsed it, in memory only (never stored): a replay parses
    parsed: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class OutboxItem:
    """A reply to send after the HTTP answer, kept until a platform accepted it."""

    id: int
    platform: str
    workspace: str
    kind: str  # what the door's sender does with it, e.g. "chat.postEphemeral"
    payload: str  # JSON the door rendered; deleted once sent
    created_at: datetime
    attempts: int
