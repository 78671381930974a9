"""What a lead's digest needs beyond nudges and reminders: episodes (abuse, escalations) and the
durable weekly schedule of each lead's digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

EpisodeKind = Literal["abuse", "escalation"]


@dataclass(frozen=True)
class EpisodeCounts:
    """Conversations with an abusive customer line, and escalations to a lead, in a window."""

    abuse: int = 0
    escalations: int = 0


@dataclass(frozen=True)
class DigestSlot:
    """When a lead's weekly digest goes out: `weekday` 0 (Monday) … 6, None when turned off."""

    platform: str
    workspace: str
    user: str
    weekday: int | None
    next_at: datetime | None


class Digests(Protocol):
    """Episodes (never any text) and digest schedules. Methods raise `StoreError`."""

    def record_episode(
        self,
        platform: str,
        workspace: str,
        *,
        kind: EpisodeKind,
        channel: str,
        thread: str | None,
        user: str | None,
        at: datetime,
    ) -> None:
        """Keep that an abusive line or an escalation happened in a conversation."""
        ...

    def count_episodes(
        self, platform: str, workspace: str, *, since: datetime, until: datetime
    ) -> EpisodeCounts:
        """Conversations with abuse and escalations in [since, until)."""
        ...

    def digest_slot(self, platform: str, workspace: str, user: str) -> DigestSlot | None:
        """The lead's digest schedule, or None if it was never set."""
        ...

    def set_digest_slot(
        self,
        platform: str,
        workspace: str,
        user: str,
        *,
        weekday: int | None,
        next_at: datetime | None,
    ) -> None:
        """Create or replace the lead's digest schedule."""
        ...

    def workspaces(self) -> list[tuple[str, str]]:
        """(platform, workspace) of every workspace Calma knows, for reports."""
        ...

    def leads_without_digest_slot(self) -> list[tuple[str, str, str]]:
        """(platform, workspace, user) of every lead whose digest was never scheduled."""
        ...

    def due_digest_slots(self, now: datetime) -> list[DigestSlot]:
        """The schedules of current leads whose digest is due at `now`, earliest first."""
        ...
