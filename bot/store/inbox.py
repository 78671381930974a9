"""The inbox: events kept durably before the door answers 200, until they have been handled."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Protocol

from bot.store.base import InboxItem


class Inbox(Protocol):
    """Received events, their claims and their completion. Methods raise `StoreError`."""

    def inbox_put(
        self, platform: str, key: str, body: str, owner: str, now: datetime, lease: timedelta
    ) -> InboxItem | None:
        """Keep a received event, claimed by `owner` until `now + lease`; None when an event
        with this key was already received (a redelivery, on this instance or another)."""
        ...

    async def settled(self) -> None:
        """Return once the writes made so far are durable (SQLite commits the writes of one turn
        of the event loop together; raises `StoreError` when that commit failed)."""
        ...

    def inbox_claim(
        self,
        platforms: Collection[str],
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int = 50,
    ) -> list[InboxItem]:
        """Claim unhandled events whose lease ended (their instance died or failed), oldest
        first, counting an attempt each; rows being claimed elsewhere are skipped."""
        ...

    def inbox_renew(self, item_ids: Collection[int], owner: str, until: datetime) -> int:
        """Extend to `until` the leases `owner` still holds on these unhandled events (one
        still being handled is not replayed elsewhere); how many it still held."""
        ...

    def inbox_done(self, item_id: int, now: datetime, error: str | None = None) -> None:
        """Mark an event handled (or given up, with `error`) and erase its body."""
        ...

    def inbox_prune(self, older_than: datetime) -> int:
        """Forget handled events received before `older_than`; how many."""
        ...
