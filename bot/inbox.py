"""Durable before acknowledged: a door keeps an event in the inbox before it answers 200, then
handles it from there — at once, and again on any instance if the one that took it died first.

A door registers a handler for its platform; `accept()` returns only once the event is stored
(the caller answers 200 after it, or 500 on `StoreError` so the platform redelivers), and a second
delivery of the same key — a retry on this instance or another — is acknowledged and dropped.
`sweep()` replays events whose claim lapsed. A handler must be safe to run twice for one event:
the service's own records (seen events, a reminder per message) make a replay add nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from bot.errors import StoreError
from bot.leases import HeldRows
from bot.ports import Clock
from bot.store.base import InboxItem
from bot.store.inbox import Inbox

log = logging.getLogger(__name__)

Handler = Callable[[InboxItem], Awaitable[None]]

LEASE = timedelta(seconds=15)  # an event not handled by then is replayed by any instance
MAX_ATTEMPTS = 5  # an event that failed this often is given up (logged, body erased)
KEEP = timedelta(days=7)  # handled keys are remembered this long (Slack retries within an hour)

__all__ = ["EventInbox", "InboxItem"]


class EventInbox:
    """The inbox as doors use it: accept, handle, replay."""

    def __init__(self, store: Inbox, clock: Clock, owner: str, *, offload: bool) -> None:
        self._store = store
        self._clock = clock
        self.owner = owner
        self._offload = offload  # run store calls on a thread (a network database)
        # The write that precedes an ack has threads of its own: it never queues behind replays,
        # sends or reminders on the shared default executor.
        self._acks = ThreadPoolExecutor(2, "calma-inbox") if offload else None
        self._handlers: dict[str, Handler] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._held = HeldRows(LEASE)  # events being handled, whose leases `renew` keeps

    def register(self, platform: str, handler: Handler) -> None:
        """Handle the events of `platform` with `handler` (one per door)."""
        self._handlers[platform] = handler

    async def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._offload:
            return await asyncio.to_thread(fn, *args)
        return fn(*args)

    async def accept(self, platform: str, key: str, body: str) -> bool:
        """Store the event (raises `StoreError`: answer 500), then handle it in a task; False for
        a key already received (answer 200 and do nothing)."""
        put = self._store.inbox_put
        args = (platform, key, body, self.owner, self._clock.now(), LEASE)
        if self._acks is not None:
            item = await asyncio.get_running_loop().run_in_executor(self._acks, put, *args)
        else:
            item = put(*args)
        if item is None:
            return False
        self.spawn(self.handle(item), f"inbox:{platform}:{key}")
        return True

    def spawn(self, work: Coroutine[Any, Any, Any], name: str) -> None:
        """Run `work` after the HTTP answer, kept until done (shutdown waits for it a little)."""
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("event handling crashed", exc_info=task.exception())

    async def handle(self, item: InboxItem) -> bool:
        """Run the platform's handler, then mark the event handled; a failure leaves it for a
        replay once the lease lapses (given up after MAX_ATTEMPTS). True when handled."""
        handler = self._handlers.get(item.platform)
        if handler is None:
            return False
        self._held.hold(item.id, self._clock.now())
        try:
            await handler(item)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            log.error(
                "inbox: %s event %s failed (attempt %d): %s",
                item.platform,
                item.key,
                item.attempts,
                error,
            )
            if item.attempts >= MAX_ATTEMPTS:
                await self._done(item, error)
            return False
        finally:
            self._held.release(item.id)
        return await self._done(item, None)

    async def _done(self, item: InboxItem, error: str | None) -> bool:
        try:
            await self._call(self._store.inbox_done, item.id, self._clock.now(), error)
        except StoreError as exc:  # replayed later; the service's records keep it single
            log.error(
                "inbox: %s event %s handled but not recorded: %s", item.platform, item.key, exc
            )
            return False
        return error is None

    async def renew(self) -> int:
        """Keep the leases of events still being handled, so no other instance replays them
        meanwhile; how many leases this instance still held."""
        return await self._held.renew(self._clock.now(), self._renew_rows, "events")

    async def _renew_rows(self, ids: list[int], until: datetime) -> int:
        return int(await self._call(self._store.inbox_renew, ids, self.owner, until))

    async def sweep(self, limit: int = 50) -> int:
        """Replay the events whose instance did not finish them in time; how many."""
        if not self._handlers:
            return 0
        try:
            items = await self._call(
                self._store.inbox_claim,
                list(self._handlers),
                self.owner,
                self._clock.now(),
                LEASE,
                limit,
            )
        except StoreError as exc:
            log.error("inbox: cannot look for unhandled events: %s", exc)
            return 0
        for item in items:
            log.warning(
                "inbox: replaying %s event %s (attempt %d)", item.platform, item.key, item.attempts
            )
            await self.handle(item)
        return len(items)

    async def forget_handled(self) -> int:
        """Prune handled keys older than KEEP."""
        try:
            return int(await self._call(self._store.inbox_prune, self._clock.now() - KEEP))
        except StoreError as exc:
            log.error("inbox: cannot prune: %s", exc)
            return 0

    @property
    def busy(self) -> int:
        """Events being handled on this instance (not `__len__`: an idle one must stay truthy)."""
        return len(self._tasks)

    async def idle(self) -> None:
        """Wait until every event being handled (and any work it spawned) has finished."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def drain(self, timeout: float = 5.0) -> None:
        """Wait (a little) for events being handled, at shutdown."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
