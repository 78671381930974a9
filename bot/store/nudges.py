"""Nudges and feedback, and the figures leads see over them."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Protocol

from bot.store.base import ON_TIME_GRACE, NewNudge, NudgeRow, Outcome, TeamStats


class Nudges(Protocol):
    """Every nudge sent (never the whole line), its outcome and feedback. Raise `StoreError`."""

    def nudge_turn(self, platform: str, workspace: str, user: str) -> AbstractContextManager[None]:
        """Hold one person's nudge decision (count, then record) to one caller at a time, across
        every instance sharing the store: two never both nudge past the cooldown or the cap."""
        ...

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

    def nudge_times(
        self, platform: str, workspace: str, user: str, *, since: datetime
    ) -> list[tuple[str, datetime]]:
        """(rule, created_at) of each nudge the user got since `since`, oldest first: what the
        fatigue counters (`count_nudges` per day and per rule) count, in one read."""
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
