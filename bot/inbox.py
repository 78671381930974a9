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
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from bot.config import INBOX_LEASE_SECONDS
from bot.errors import StoreError
from bot.leases import HeldRows
from bot.ports import Clock
from bot.store.base import InboxItem
from bot.store.inbox import Inbox

log = logging.getLogger(__name__)

Handler = Callable[[InboxItem], Awaitable[None]]

# An event not handled by then is replayed by any instance; the default of the `lease` the
# composition root passes (CALMA_INBOX_LEASE_SECONDS).
LEASE = timedelta(seconds=INBOX_LEASE_SECONDS)
MAX_ATTEMPTS = 5  # an event that failed this often is given up (logged, body erased)
KEEP = timedelta(days=7)  # handled keys are remembered this long (Slack retries within an hour)
# Memory stays bounded under any load: this many events are handled at once, this many more wait
# in memory; past that an event waits in the database alone, its claim given up, and the next
# sweep (every second) takes it.
MAX_HANDLING = 64
MAX_WAITING = 2_000
SWEEP_ROUNDS = 20  # claims of `limit` events one sweep makes at most (it goes on while they fill)

__all__ = ["EventInbox", "InboxItem"]


class EventInbox:
    """The inbox as doors use it: accept, handle, replay."""

    def __init__(
        self,
        store: Inbox,
        clock: Clock,
        owner: str,
        *,
        offload: bool,
        lease: timedelta = LEASE,
    ) -> None:
        self._store = store
        self._clock = clock
        self.owner = owner
        self.lease = lease  # how long this instance holds an event before others may replay it
        self._offload = offload  # run store calls on a thread (a network database)
        # The write that precedes an ack has threads of its own: it never queues behind replays,
        # sends or reminders on the shared default executor.
        self._acks = ThreadPoolExecutor(2, "calma-inbox") if offload else None
        self._handlers: dict[str, Handler] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._handling = 0  # of the tasks, how many handle an accepted event
        self._waiting: deque[InboxItem] = deque()
        self._here: set[int] = set()  # ids accepted here and not yet handled: no sweep takes them
        self.spilled = 0  # events left to the sweep because too many waited (for benches)
        # events being handled or waiting here, whose leases `renew` keeps
        self._held = HeldRows(lease)

    def register(self, platform: str, handler: Handler) -> None:
        """Handle the events of `platform` with `handler` (one per door)."""
        self._handlers[platform] = handler

    async def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._offload:
            return await asyncio.to_thread(fn, *args)
        return fn(*args)

    async def accept(self, platform: str, key: str, body: str, parsed: Any = None) -> bool:
        """Store the event (raises `StoreError`: answer 500), then handle it in a task; False for
        a key already received (answer 200 and do nothing). `parsed`, the body as the door read
        it, goes to the handler with the item (in memory only)."""
        put = self._store.inbox_put
        args = (platform, key, body, self.owner, self._clock.now(), self.lease)
        if self._acks is not None:
            item = await asyncio.get_running_loop().run_in_executor(self._acks, put, *args)
        else:
            item = put(*args)
        # durable before acknowledged: the commit holding the row (a group commit on SQLite);
        # a redelivery in the same turn saw the first delivery's row, which that commit keeps
        await self._store.settled()
        if item is None:
            return False
        if self._handling < MAX_HANDLING:
            # handled now: the door's parsed body goes along (a waiting item keeps the string
            # alone, several times smaller than the parsed dict)
            if parsed is not None:  # built, not `replace`d: a frozen copy costs microseconds
                item = InboxItem(
                    item.id,
                    item.platform,
                    item.key,
                    item.body,
                    item.received_at,
                    item.attempts,
                    parsed,
                )
            self._start(item)
        elif len(self._waiting) < MAX_WAITING:
            self._here.add(item.id)
            self._held.hold(item.id, self._clock.now())  # renewed while it waits, as when handled
            self._waiting.append(item)
        else:
            await self._spill(item)
        return True

    async def remember(self, platform: str, key: str) -> bool:
        """Record `key` as received and handled without storing its event (one the door handles
        from memory because `accept` failed): True the first time, False when the inbox already
        has it (another delivery was stored, or remembered: that one acts). Raises `StoreError`.

        The row's body is an empty object, nothing to handle, should its completion be lost."""
        now = self._clock.now()
        item = await self._call(
            self._store.inbox_put, platform, key, "{}", self.owner, now, self.lease
        )
        if item is None:
            await self._store.settled()
            return False
        await self._call(self._store.inbox_done, item.id, now, None)
        await self._store.settled()
        return True

    async def _spill(self, item: InboxItem) -> None:
        """Too many events wait here: this one waits in the database alone, its claim given up
        at once (its lease ends now), so the next sweep, here or on any instance, takes it as
        soon as there is room, not a lease later."""
        self.spilled += 1
        try:
            lapsed = self._clock.now() - timedelta(seconds=1)  # already past: any sweep takes it
            await self._call(self._store.inbox_renew, [item.id], self.owner, lapsed)
        except StoreError as exc:  # kept all the same: a sweep takes it once its lease lapses
            log.error("inbox: %s event %s left for a later sweep: %s", item.platform, item.key, exc)

    def _start(self, item: InboxItem) -> None:
        self._here.add(item.id)
        self._handling += 1
        task = asyncio.create_task(self.handle(item), name=f"inbox:{item.platform}:{item.key}")
        self._tasks.add(task)
        task.add_done_callback(self._handled)

    def _handled(self, task: asyncio.Task[Any]) -> None:
        self._handling -= 1
        self._finished(task)
        while self._waiting and self._handling < MAX_HANDLING:
            self._start(self._waiting.popleft())

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
            self._here.discard(item.id)
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
            self._here.discard(item.id)
            return False
        finally:
            self._held.release(item.id)
        return await self._done(item, None)

    async def _done(self, item: InboxItem, error: str | None) -> bool:
        self._here.discard(item.id)
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

    async def sweep(self, limit: int = 50, rounds: int = SWEEP_ROUNDS) -> int:
        """Replay the events whose instance did not finish them in time (or that waited in the
        database past the memory bound), `limit` at a time, while a claim comes back full and
        nothing waits here, `rounds` claims at most; how many."""
        if not self._handlers:
            return 0
        replayed = 0
        for _ in range(rounds):
            try:
                items = await self._call(
                    self._store.inbox_claim,
                    list(self._handlers),
                    self.owner,
                    self._clock.now(),
                    self.lease,
                    limit,
                )
            except StoreError as exc:
                log.error("inbox: cannot look for unhandled events: %s", exc)
                break
            fresh = [item for item in items if item.id not in self._here]  # not lost: here
            for item in fresh:
                log.warning(
                    "inbox: replaying %s event %s (attempt %d)",
                    item.platform,
                    item.key,
                    item.attempts,
                )
            await asyncio.gather(*(self.handle(item) for item in fresh))  # at once, not in turn
            replayed += len(fresh)
            if len(items) < limit or self._waiting:
                break
        return replayed

    async def forget_handled(self) -> int:
        """Prune handled keys older than KEEP."""
        try:
            return int(await self._call(self._store.inbox_prune, self._clock.now() - KEEP))
        except StoreError as exc:
            log.error("inbox: cannot prune: %s", exc)
            return 0

    @property
    def busy(self) -> int:
        """Events being handled or waiting on this instance (not `__len__`: an idle one must stay
        truthy)."""
        return len(self._tasks) + len(self._waiting)

    async def idle(self) -> None:
        """Wait until every event being handled (and any work it spawned) has finished."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def drain(self, timeout: float = 5.0) -> None:
        """Wait (a little) for events being handled or waiting, at shutdown (what is left stays
        in the database, for a sweep)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._tasks and (left := deadline - loop.time()) > 0:
            await asyncio.wait(set(self._tasks), timeout=left)
