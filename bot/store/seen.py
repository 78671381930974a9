"""Seen event ids: every door's redeliveries are answered once."""

from __future__ import annotations

from typing import Protocol


class SeenEvents(Protocol):
    """Event ids already handled, per platform. Methods raise `StoreError`."""

    def mark_seen(self, platform: str, event_id: str) -> bool:
        """Record an event id; True the first time, False for a repeat (atomic)."""
        ...

    def unmark_seen(self, platform: str, event_ids: list[str]) -> int:
        """Forget these event ids (an event replayed from the inbox after a crash is handled
        again); how many were known."""
        ...

    def prune_seen(self, older_than_days: int = 7) -> int:
        """Forget event ids older than the given days; returns how many."""
        ...
