"""The storage seam: row values and the `Store` protocol the bot talks to.

SQLite (`bot.store.sqlite.SqliteStore`) is the only implementation today; a PostgreSQL store for
several instances can implement the same protocol later. Every instant is a timezone-aware UTC
`datetime`; message text is never stored beyond the excerpt a nudge or a reminder needs.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

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
class NudgeRow:
    """A recorded nudge and the feedback its author gave."""

    id: int
    platform: str
    workspace: str
    user: str
    channel: str
    rule: str
    category: str
    excerpt: str
    created_at: datetime
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


@dataclass(frozen=True)
class ReminderRow:
    """A reminder as stored: the truth the timers are rebuilt from."""

    id: int
    platform: str
    workspace: str
    user: str
    channel: str | None
    thread: str | None
    message_ref: str | None
    permalink: str | None
    text: str
    due_at: datetime
    created_at: datetime
    status: ReminderStatus
    sent_at: datetime | None
    late: bool
    attempts: int
    last_error: str | None
    lang: str | None
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


class Store(Protocol):
    """Everything the bot persists. Methods raise `StoreError` (never fail silently)."""

    def close(self) -> None:
        """Release the connection."""
        ...

    # ---- workspaces ----
    def ensure_workspace(
        self,
        platform: str,
        workspace: str,
        *,
        installer: str | None = None,
        default_lang: str = "es",
        default_tz: str = "UTC",
    ) -> WorkspaceRow:
        """Create the workspace with these defaults if new; return it as stored."""
        ...

    def get_workspace(self, platform: str, workspace: str) -> WorkspaceRow | None:
        """The workspace, or None if never seen."""
        ...

    def update_workspace(
        self,
        platform: str,
        workspace: str,
        *,
        default_lang: str | None = None,
        default_tz: str | None = None,
        daily_cap: int | None = None,
        reminder_lead_minutes: int | None = None,
    ) -> WorkspaceRow:
        """Change the given settings (None leaves one as is), creating the workspace if needed."""
        ...

    # ---- users ----
    def get_user(self, platform: str, workspace: str, user: str) -> UserRow | None:
        """The user's settings, or None if never stored."""
        ...

    def set_user_settings(
        self,
        platform: str,
        workspace: str,
        user: str,
        *,
        tz: str | None = None,
        lang: str | None = None,
    ) -> UserRow:
        """Set time zone and/or language (None leaves one as is)."""
        ...

    def mute(self, platform: str, workspace: str, user: str, until: datetime | None) -> UserRow:
        """Silence nudges for the user until `until`; None unmutes."""
        ...

    def set_role(self, platform: str, workspace: str, user: str, role: Role) -> UserRow:
        """Make the user a lead or an agent."""
        ...

    def leads(self, platform: str, workspace: str) -> list[str]:
        """User ids with the lead role, sorted."""
        ...

    def rekey_user(self, platform: str, workspace: str, old: str, new: str) -> bool:
        """Move the role and customer listing kept under `old` to the same person's `new` id
        (a lead never loses the role; settings already under `new` win); True when any moved."""
        ...

    # ---- channels, customers, rules ----
    def set_channel_paused(self, platform: str, workspace: str, channel: str, paused: bool) -> None:
        """Pause or resume coaching in a channel."""
        ...

    def is_channel_paused(self, platform: str, workspace: str, channel: str) -> bool:
        """True when a lead paused the channel."""
        ...

    def add_customer(self, platform: str, workspace: str, user: str) -> bool:
        """List a user as a customer; True when newly added."""
        ...

    def remove_customer(self, platform: str, workspace: str, user: str) -> bool:
        """Unlist a customer; True when one was removed."""
        ...

    def customers(self, platform: str, workspace: str) -> frozenset[str]:
        """User ids a lead listed as customers."""
        ...

    def disable_rule(self, platform: str, workspace: str, rule: str, by: str | None = None) -> bool:
        """Turn a rule off for the workspace; True when it was on."""
        ...

    def enable_rule(self, platform: str, workspace: str, rule: str) -> bool:
        """Turn a rule back on; True when it was off."""
        ...

    def disabled_rules(self, platform: str, workspace: str) -> frozenset[str]:
        """Rule ids turned off for the workspace."""
        ...

    # ---- nudges and feedback ----
    def record_nudge(self, nudge: NewNudge) -> NudgeRow:
        """Store a nudge (excerpt cut to EXCERPT_MAX) and return it with its id."""
        ...

    def get_nudge(self, nudge_id: int) -> NudgeRow | None:
        """The nudge, or None."""
        ...

    def set_nudge_outcome(
        self, nudge_id: int, outcome: Outcome, *, user: str, at: datetime
    ) -> bool:
        """Record "útil"/"no aplica" on the nudge and in feedback; False if no such nudge."""
        ...

    def record_feedback(self, nudge_id: int, *, user: str, kind: str, at: datetime) -> None:
        """Record another reaction to a nudge (e.g. "muted", "tips")."""
        ...

    def feedback(self, nudge_id: int) -> list[tuple[str, str, datetime]]:
        """(user, kind, at) of every reaction to a nudge, oldest first."""
        ...

    def count_nudges(
        self,
        platform: str,
        workspace: str,
        user: str,
        *,
        since: datetime,
        rule: str | None = None,
    ) -> int:
        """Nudges the user got since `since` (of one rule if given): the fatigue counters."""
        ...

    def nudges_by_category(
        self, platform: str, workspace: str, user: str, *, since: datetime
    ) -> tuple[tuple[str, int], ...]:
        """(category, count) of the user's own nudges since `since`, largest first."""
        ...

    def team_stats(
        self,
        platform: str,
        workspace: str,
        *,
        since: datetime,
        until: datetime,
        on_time_grace: timedelta = ON_TIME_GRACE,
    ) -> TeamStats:
        """Aggregates over [since, until); a follow-up is on time if done by due + grace."""
        ...

    # ---- dedupe ----
    def mark_seen(self, platform: str, event_id: str) -> bool:
        """Record an event id; True the first time, False for a repeat (atomic)."""
        ...

    def prune_seen(self, older_than_days: int = 7) -> int:
        """Forget event ids older than the given days; returns how many."""
        ...

    # ---- Teams conversation references ----
    def save_conversation_ref(
        self, platform: str, workspace: str, user: str, ref_json: str
    ) -> None:
        """Keep the serialised reference needed to message the user proactively."""
        ...

    def conversation_ref(self, platform: str, workspace: str, user: str) -> str | None:
        """The stored reference JSON, or None."""
        ...

    # ---- reminders ----
    def add_reminder(self, reminder: NewReminder) -> ReminderRow:
        """Store a pending reminder (the write raises rather than drop it)."""
        ...

    def get_reminder(self, reminder_id: int) -> ReminderRow | None:
        """The reminder, or None."""
        ...

    def pending_reminders(self) -> list[ReminderRow]:
        """Every pending reminder, earliest first."""
        ...

    def pending_due_times(self) -> list[tuple[int, datetime]]:
        """(id, due_at) of every pending reminder: the light list timers are re-armed from."""
        ...

    def reminders_due_before(self, moment: datetime) -> list[ReminderRow]:
        """Pending reminders due at or before `moment`, earliest first."""
        ...

    def reminders_for_user(
        self,
        platform: str,
        workspace: str,
        user: str,
        statuses: Collection[ReminderStatus] = PENDING_ONLY,
    ) -> list[ReminderRow]:
        """The user's reminders in the given statuses, earliest due first."""
        ...

    def mark_sent(
        self, reminder_id: int, at: datetime, late: bool, *, due_at: datetime | None = None
    ) -> bool:
        """Record delivery; True only for the one caller that moved it from pending.

        With `due_at`, only if the row is still due then (a snooze during the send wins).
        """
        ...

    def record_failure(self, reminder_id: int, error: str) -> int:
        """Count a failed delivery attempt and keep its error; returns the attempt count."""
        ...

    def snooze(self, reminder_id: int, new_due: datetime) -> ReminderRow | None:
        """Move a pending or sent reminder to `new_due`, pending again; None if not possible."""
        ...

    def mark_done(self, reminder_id: int, at: datetime) -> bool:
        """Mark a pending or sent reminder done; False if it was not open."""
        ...

    def cancel_reminder(self, reminder_id: int) -> bool:
        """Cancel a pending or sent reminder; False if it was not open."""
        ...
