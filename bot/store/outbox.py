"""The outbox: replies that leave after the HTTP answer, kept until the platform accepted them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Protocol

from bot.store.base import OutboxItem


class Outbox(Protocol):
    """Queued sends, their claims and their removal once sent. Methods raise `StoreError`."""

    def outbox_put(
        self,
        platform: str,
        workspace: str,
        kind: str,
        payload: str,
        owner: str,
        now: datetime,
        lease: timedelta,
    ) -> OutboxItem:
        """Queue a send, claimed by `owner` (who sends it at once) until `now + lease`."""
        ...

    async def settled(self) -> None:
        """Return once the writes made so far are durable (SQLite commits the writes of one turn
        of the event loop together; raises `StoreError` when that commit failed)."""
        ...

    def outbox_claim(
        self,
        platforms: Collection[str],
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int = 50,
    ) -> list[OutboxItem]:
        """Claim queued sends whose lease ended, oldest first, counting an attempt each."""
        ...

    def outbox_renew(self, item_ids: Collection[int], owner: str, until: datetime) -> int:
        """Extend to `until` the leases `owner` still holds on these sends (one still being sent
        is not handed to another instance); how many it still held."""
        ...

    def outbox_sent(self, item_id: int) -> None:
        """Forget a send the platform accepted (or that was given up)."""
        ...

    def outbox_depth(self) -> int:
        """How many sends wait."""
        ...
