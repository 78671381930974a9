"""Replies that leave after the HTTP answer leave from a durable outbox: queued in the database
first, sent at once by the instance that queued them, and by any instance if that one died first.

A door registers a sender per platform (it knows what `kind` and `payload` mean); a send that
fails is retried by a later sweep once its lease ends, and given up after MAX_ATTEMPTS. Only a
crash between the platform's acceptance and the row's removal repeats one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from bot.errors import StoreError
from bot.ports import Clock
from bot.store.base import OutboxItem
from bot.store.outbox import Outbox

log = logging.getLogger(__name__)

Send = Callable[[OutboxItem], Awaitable[None]]

LEASE = timedelta(seconds=20)  # a send not done by then is tried again, by any instance
MAX_ATTEMPTS = 5

__all__ = ["DurableOutbox", "OutboxItem"]


class DurableOutbox:
    """The outbox as doors use it: `post` queues and sends; `sweep` resends what was left."""

    def __init__(self, store: Outbox, clock: Clock, owner: str, *, offload: bool) -> None:
        self._store = store
        self._clock = clock
        self.owner = owner
        self._offload = offload
        self._senders: dict[str, Send] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    def register(self, platform: str, send: Send) -> None:
        """Send the queued items of `platform` with `send` (raise to retry later)."""
        self._senders[platform] = send

    async def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._offload:
            return await asyncio.to_thread(fn, *args)
        return fn(*args)

    async def post(self, platform: str, workspace: str, kind: str, payload: str) -> None:
        """Queue the send, then send it now (in a task). If the database refuses the queueing,
        send it directly: a reply is better sent than kept."""
        try:
            item = await self._call(
                self._store.outbox_put,
                platform,
                workspace,
                kind,
                payload,
                self.owner,
                self._clock.now(),
                LEASE,
            )
        except StoreError as exc:
            log.error("outbox: a %s send was not queued (%s); sending it directly", kind, exc)
            item = OutboxItem(0, platform, workspace, kind, payload, self._clock.now(), 1)
        task = asyncio.create_task(self.send(item), name=f"outbox:{kind}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def send(self, item: OutboxItem) -> bool:
        """Send one item and forget it; on failure leave it for a later sweep."""
        sender = self._senders.get(item.platform)
        if sender is None:
            return False
        try:
            await sender(item)
        except Exception as exc:
            log.warning(
                "outbox: %s not sent (attempt %d): %s", item.kind, item.attempts, type(exc).__name__
            )
            if item.attempts < MAX_ATTEMPTS:
                return False
            log.error("outbox: %s given up after %d attempts", item.kind, item.attempts)
        if item.id:
            try:
                await self._call(self._store.outbox_sent, item.id)
            except StoreError as exc:
                log.error("outbox: sent but not forgotten (%s); it may go out twice", exc)
        return True

    async def sweep(self, limit: int = 50) -> int:
        """Send what an instance queued but did not send in time; how many were tried."""
        if not self._senders:
            return 0
        try:
            items = await self._call(
                self._store.outbox_claim,
                list(self._senders),
                self.owner,
                self._clock.now(),
                LEASE,
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
