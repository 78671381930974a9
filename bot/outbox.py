"""Replies that leave after the HTTP answer leave from a durable outbox: queued in the database
first, sent at once by the instance that queued them, and by any instance if that one died first.

A door registers a sender per platform (it knows what `kind` and `payload` mean); the service
may register one for a single kind of a platform (the follow-up offer, sent through the door's
notifier), which goes before the door's. A send that fails is retried by a later sweep once its
lease ends, and given up after MAX_ATTEMPTS. Only a crash between the platform's acceptance and
the row's removal repeats one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.config import OUTBOX_LEASE_SECONDS
from bot.errors import StoreError
from bot.leases import HeldRows
from bot.ports import Clock
from bot.store.base import OutboxItem
from bot.store.outbox import Outbox

log = logging.getLogger(__name__)

Send = Callable[[OutboxItem], Awaitable[None]]

# A send not done by then is tried again, by any instance; the default of the `lease` the
# composition root passes (CALMA_OUTBOX_LEASE_SECONDS).
LEASE = timedelta(seconds=OUTBOX_LEASE_SECONDS)
MAX_ATTEMPTS = 5

__all__ = ["DurableOutbox", "OutboxItem", "Send"]


class DurableOutbox:
    """The outbox as doors use it: `post` queues and sends; `sweep` resends what was left."""

    def __init__(
        self,
        store: Outbox,
        clock: Clock,
        owner: str,
        *,
        offload: bool,
        lease: timedelta = LEASE,
    ) -> None:
        self._store = store
        self._clock = clock
        self.owner = owner
        self.lease = lease  # how long this instance holds a send before others may resend it
        self._offload = offload
        self._senders: dict[tuple[str, str | None], Send] = {}  # (platform, kind or any)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._held = HeldRows(lease)  # sends under way, whose leases `renew` keeps

    def register(self, platform: str, send: Send, *, kind: str | None = None) -> None:
        """Send the queued items of `platform` (only those of `kind`, when given) with `send`
        (raise to retry later)."""
        self._senders[(platform, kind)] = send

    def sends(self, platform: str, kind: str) -> bool:
        """Whether a sender for this kind of item of `platform` is registered."""
        return (platform, kind) in self._senders

    def _sender(self, item: OutboxItem) -> Send | None:
        return self._senders.get((item.platform, item.kind)) or self._senders.get(
            (item.platform, None)
        )

    async def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._offload:
            return await asyncio.to_thread(fn, *args)
        return fn(*args)

    async def _queue(self, platform: str, workspace: str, kind: str, payload: str) -> OutboxItem:
        """Keep the send in the outbox, leased to this instance; if the database refuses, an
        item that is not kept (id 0), so it is tried once, directly."""
        try:
            item: OutboxItem = await self._call(
                self._store.outbox_put,
                platform,
                workspace,
                kind,
                payload,
                self.owner,
                self._clock.now(),
                self.lease,
            )
        except StoreError as exc:
            log.error("outbox: a %s send was not queued (%s); sending it directly", kind, exc)
            item = OutboxItem(0, platform, workspace, kind, payload, self._clock.now(), 1)
        return item

    async def _send_kept(self, item: OutboxItem) -> bool:
        """`send` once the item's row is committed (SQLite commits a loop turn's writes
        together): a send never goes out from a row a crash could still undo. A row whose
        commit failed is gone: the send is tried once, directly."""
        if item.id:
            try:
                await self._store.settled()
            except StoreError as exc:
                log.error("outbox: a %s send was not kept (%s); sent directly", item.kind, exc)
                item = replace(item, id=0)
        return await self.send(item)

    async def post(self, platform: str, workspace: str, kind: str, payload: str) -> None:
        """Queue the send, then send it now (in a task). If the database refuses the queueing,
        send it directly: a reply is better sent than kept."""
        item = await self._queue(platform, workspace, kind, payload)
        task = asyncio.create_task(self._send_kept(item), name=f"outbox:{kind}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def deliver(self, platform: str, workspace: str, kind: str, payload: str) -> bool:
        """Queue the send and make it now, awaited: True once sent (or given up), False when it
        failed and waits in the outbox for a sweep to try again."""
        return await self._send_kept(await self._queue(platform, workspace, kind, payload))

    async def send(self, item: OutboxItem) -> bool:
        """Send one item and forget it; on failure leave it for a later sweep."""
        sender = self._sender(item)
        if sender is None:
            return False
        self._held.hold(item.id, self._clock.now())
        try:
            await sender(item)
        except Exception as exc:
            log.warning(
                "outbox: %s not sent (attempt %d): %s", item.kind, item.attempts, type(exc).__name__
            )
            if item.attempts < MAX_ATTEMPTS:
                return False
            log.error("outbox: %s given up after %d attempts", item.kind, item.attempts)
        finally:
            self._held.release(item.id)
        if item.id:
            try:
                await self._call(self._store.outbox_sent, item.id)
            except StoreError as exc:
                log.error("outbox: sent but not forgotten (%s); it may go out twice", exc)
        return True

    async def renew(self) -> int:
        """Keep the leases of sends still under way (a platform slow to answer), so no other
        instance sends them too; how many leases this instance still held."""
        return await self._held.renew(self._clock.now(), self._renew_rows, "sends")

    async def _renew_rows(self, ids: list[int], until: datetime) -> int:
        return int(await self._call(self._store.outbox_renew, ids, self.owner, until))

    async def sweep(self, limit: int = 50) -> int:
        """Send what an instance queued but did not send in time; how many were tried."""
        if not self._senders:
            return 0
        try:
            items = await self._call(
                self._store.outbox_claim,
                sorted({platform for platform, _ in self._senders}),
                self.owner,
                self._clock.now(),
                self.lease,
                limit,
            )
        except StoreError as exc:
            log.error("outbox: cannot look for unsent replies: %s", exc)
            return 0
        for item in items:
            await self.send(item)
        return len(items)

    def depth(self) -> int:
        """How many sends wait (for /metrics); -1 when the database does not answer."""
        try:
            return self._store.outbox_depth()
        except StoreError:
            return -1

    async def idle(self) -> None:
        """Wait until every send in flight (and any it started) has finished."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def drain(self, timeout: float = 5.0, *, cancel: bool = False) -> None:
        """Wait (a little) for sends in flight, at shutdown; with `cancel`, cancel what is left
        (its row stays queued: any instance's sweep sends it once the lease ends)."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        if cancel and pending:
            log.error("outbox: %d sends cancelled at stop; they stay queued", len(pending))
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    @property
    def busy(self) -> int:
        """Sends in flight on this instance (not `__len__`: an idle one must stay truthy)."""
        return len(self._tasks)
