"""Leases kept alive while the work they cover runs.

An instance claims a row (an event to handle, a reply to send, a reminder to deliver) for a
lease; once the lease lapses any instance may take the row, which is how the work of an instance
that died is done by another. Work that outlasts its lease (a platform slow to accept a send)
would then be done twice, so the instance renews, before they lapse, the leases of the rows it is
still working on — one statement for all of them, from the periodic sweep. Work held longer than
`max_hold` is no longer renewed: a send that hangs for minutes is tried again elsewhere.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.errors import StoreError

log = logging.getLogger(__name__)

Extend = Callable[[list[int], datetime], Awaitable[int]]  # (ids, new lease end) -> still held


class HeldRows:
    """The rows this instance is working on and when each one's lease ends."""

    def __init__(self, lease: timedelta, max_hold: timedelta | None = None) -> None:
        self.lease = lease
        self.max_hold = max_hold if max_hold is not None else lease * 10
        self._held: dict[int, tuple[datetime, datetime]] = {}  # id -> (held since, lease end)

    def hold(self, row_id: int, now: datetime) -> None:
        """Work on `row_id` starts now, under a lease claimed just before (id 0: no row)."""
        if row_id:
            self._held[row_id] = (now, now + self.lease)

    def release(self, row_id: int) -> None:
        """Work on `row_id` ended (done, failed or given up)."""
        self._held.pop(row_id, None)

    def to_renew(self, now: datetime) -> list[int]:
        """The rows whose lease ends within half a lease, held for less than `max_hold`."""
        soon = now + self.lease / 2
        return [
            row_id
            for row_id, (since, until) in self._held.items()
            if until <= soon and now - since < self.max_hold
        ]

    async def renew(self, now: datetime, extend: Extend, what: str) -> int:
        """Extend the leases that end soon with `extend` (one statement for all); how many this
        instance still held. `what` names the rows in the log."""
        ids = self.to_renew(now)
        if not ids:
            return 0
        until = now + self.lease
        try:
            held = await extend(ids, until)
        except StoreError as exc:
            log.error("cannot keep the claims of %s under way: %s", what, exc)
            return 0
        for row_id in ids:
            entry = self._held.get(row_id)
            if entry is not None:
                self._held[row_id] = (entry[0], until)
        if held < len(ids):
            log.warning("%d %s under way were claimed elsewhere", len(ids) - held, what)
        return held

    def __len__(self) -> int:
        return len(self._held)
