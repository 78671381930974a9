"""Timers for reminders: a `Timers` port, a due-time heap, and its APScheduler implementation.

SQLite rows are the truth; timers only say "look at reminder N now". One heap holds every armed
reminder and a single wake-up is set for the earliest: arming 100,000 reminders is a heapify, not
100,000 scheduler jobs (APScheduler's `add_job` alone took 3.7 s for 100,000 here). Only the
reminders due within a horizon are armed (bot/reminders.py); a third wake-up, the refill, asks
for the next stretch of rows as time passes.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from datetime import UTC, datetime
from typing import Any, Protocol

log = logging.getLogger(__name__)

Fire = Callable[[int], Coroutine[Any, Any, Any]]
WriteBack = Callable[[], Coroutine[Any, Any, Any]]
Refill = Callable[[], Coroutine[Any, Any, Any]]
WAKE_JOB_ID = "reminders:next"
WRITE_BACK_JOB_ID = "reminders:write-back"
REFILL_JOB_ID = "reminders:refill"


class Timers(Protocol):
    """Calls `fire(reminder_id)` once at (or after) each armed due time; re-arming replaces.

    Beside the reminders, one wake-up for the write-back of reminders the database refused, and
    one for the refill that arms the next stretch of the horizon.
    """

    def start(self, fire: Fire, write_back: WriteBack, refill: Refill | None = None) -> None:
        """Begin firing; reminders already due fire at once."""
        ...

    def arm_write_back(self, due: datetime) -> None:
        """Call `write_back()` at `due` (replacing an earlier arming of it)."""
        ...

    def arm_refill(self, due: datetime) -> None:
        """Call `refill()` at `due` (replacing any other arming of it)."""
        ...

    def arm(self, reminder_id: int, due: datetime) -> None:
        """Fire the reminder at `due` (replacing any earlier arming of it)."""
        ...

    def arm_many(self, items: Iterable[tuple[int, datetime]]) -> None:
        """Arm many reminders at once (the re-arm at start)."""
        ...

    def disarm(self, reminder_id: int) -> None:
        """Forget the reminder's timer, if any."""
        ...

    def due_of(self, reminder_id: int) -> datetime | None:
        """When the reminder is armed to fire, or None."""
        ...

    def __len__(self) -> int:
        """How many reminders are armed."""
        ...

    def shutdown(self) -> None:
        """Stop firing."""
        ...


class DueQueue:
    """Armed reminders by due time: a heap with lazy removal and a map of the live entries."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int]] = []
        self._due: dict[int, float] = {}

    def put(self, reminder_id: int, due: datetime) -> None:
        """Arm or re-arm one reminder."""
        stamp = due.timestamp()
        self._due[reminder_id] = stamp
        heapq.heappush(self._heap, (stamp, reminder_id))
        self._compact()

    def put_many(self, items: Iterable[tuple[int, datetime]]) -> None:
        """Arm many reminders with one heapify."""
        for reminder_id, due in items:
            self._due[reminder_id] = due.timestamp()
        self._heap = [(stamp, reminder_id) for reminder_id, stamp in self._due.items()]
        heapq.heapify(self._heap)

    def remove(self, reminder_id: int) -> None:
        """Disarm; the heap entry is dropped lazily."""
        self._due.pop(reminder_id, None)

    def due_of(self, reminder_id: int) -> datetime | None:
        """The armed due time of a reminder, or None."""
        stamp = self._due.get(reminder_id)
        return None if stamp is None else datetime.fromtimestamp(stamp, UTC)

    def earliest(self) -> datetime | None:
        """The next due time, or None when nothing is armed."""
        self._drop_stale()
        return datetime.fromtimestamp(self._heap[0][0], UTC) if self._heap else None

    def pop_due(self, now: datetime) -> list[int]:
        """Remove and return every reminder due at or before `now`, earliest first."""
        limit = now.timestamp()
        fired: list[int] = []
        while self._heap and self._heap[0][0] <= limit:
            stamp, reminder_id = heapq.heappop(self._heap)
            if self._due.get(reminder_id) == stamp:
                del self._due[reminder_id]
                fired.append(reminder_id)
        return fired

    def __len__(self) -> int:
        return len(self._due)

    def _drop_stale(self) -> None:
        while self._heap and self._due.get(self._heap[0][1]) != self._heap[0][0]:
            heapq.heappop(self._heap)

    def _compact(self) -> None:
        if len(self._heap) > 2 * len(self._due) + 1024:
            self._heap = [(stamp, reminder_id) for reminder_id, stamp in self._due.items()]
            heapq.heapify(self._heap)


class QueuedTimers:
    """The part every `Timers` here shares: armed reminders live in a `DueQueue`.

    Subclasses decide when to look at the queue; `_armed` tells them something was armed, and
    `_write_back_armed` that the write-back is due at a new time.
    """

    def __init__(self) -> None:
        self._queue = DueQueue()
        self._fire: Fire | None = None
        self._write_back: WriteBack | None = None
        self._write_back_at: datetime | None = None
        self._refill: Refill | None = None
        self._refill_at: datetime | None = None

    def arm_refill(self, due: datetime) -> None:
        """Call the refill at `due` (its one arming: the last one wins)."""
        self._refill_at = due
        self._refill_armed(due)

    def _refill_armed(self, due: datetime) -> None:
        """The refill is now due at `due`."""

    def arm_write_back(self, due: datetime) -> None:
        """Call the write-back at `due`, or at its earlier arming if it has one."""
        if self._write_back_at is None or due < self._write_back_at:
            self._write_back_at = due
            self._write_back_armed(due)

    def _write_back_armed(self, due: datetime) -> None:
        """The write-back is now due at `due`."""

    def arm(self, reminder_id: int, due: datetime) -> None:
        """Fire the reminder at `due` (replacing any earlier arming of it)."""
        self._queue.put(reminder_id, due)
        self._armed(due)

    def arm_many(self, items: Iterable[tuple[int, datetime]]) -> None:
        """Arm many reminders with one heapify."""
        self._queue.put_many(items)
        self._armed(None)

    def disarm(self, reminder_id: int) -> None:
        """Disarm one reminder (a wake-up that finds nothing due just looks again later)."""
        self._queue.remove(reminder_id)

    def due_of(self, reminder_id: int) -> datetime | None:
        """When the reminder is armed to fire, or None."""
        return self._queue.due_of(reminder_id)

    def __len__(self) -> int:
        return len(self._queue)

    def _armed(self, due: datetime | None) -> None:
        """Something was armed at `due` (None: many at once)."""


class ApsTimers(QueuedTimers):
    """Timers on APScheduler 3's AsyncIOScheduler: one date job wakes us at the earliest due time.

    The job is `misfire_grace_time=None` and `coalesce=True`, so a wake-up that is late (the loop
    was busy, the machine slept) still runs; APScheduler's 1 s default would silently skip it.
    The next wake-up is set when APScheduler reports the job executed (its instance is counted
    down by then), so the default `max_instances=1` never skips it. Should APScheduler still skip
    or fail a wake-up, a listener sets it again. The write-back of reminders the database refused
    is a second date job, `reminders:write-back`; the refill of the horizon a third,
    `reminders:refill`.
    """

    def __init__(self, scheduler: Any | None = None) -> None:
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        super().__init__()
        self._owns_scheduler = scheduler is None
        self._scheduler: Any = scheduler or AsyncIOScheduler(timezone=UTC)
        self._wake_at: datetime | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self, fire: Fire, write_back: WriteBack, refill: Refill | None = None) -> None:
        """Start the scheduler on the running loop and set the first wake-up."""
        from apscheduler.events import (
            EVENT_JOB_ERROR,
            EVENT_JOB_EXECUTED,
            EVENT_JOB_MAX_INSTANCES,
            EVENT_JOB_MISSED,
        )

        self._fire = fire
        self._write_back = write_back
        self._refill = refill
        self._loop = asyncio.get_running_loop()
        self._scheduler.add_listener(self._on_wake_done, EVENT_JOB_EXECUTED)
        self._scheduler.add_listener(
            self._on_wake_trouble, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_ERROR
        )
        if not self._scheduler.running:
            self._scheduler.start()
        self._rearm(force=True)
        if self._write_back_at is not None:
            self._write_back_armed(self._write_back_at)
        if self._refill_at is not None:
            self._refill_armed(self._refill_at)

    def _armed(self, due: datetime | None) -> None:
        """Move the wake-up earlier if the new due time comes first (many: recompute it)."""
        if due is None or self._wake_at is None or due < self._wake_at:
            self._rearm(force=True)

    def _write_back_armed(self, due: datetime) -> None:
        """Set (or move) the write-back job to `due`."""
        if self._write_back is not None and self._scheduler.running:  # else `start` sets it
            self._date_job(WRITE_BACK_JOB_ID, self._run_write_back, due)

    def _refill_armed(self, due: datetime) -> None:
        """Set (or move) the refill job to `due`."""
        if self._refill is not None and self._scheduler.running:  # else `start` sets it
            self._date_job(REFILL_JOB_ID, self._run_refill, due)

    async def _run_refill(self) -> None:
        self._refill_at = None
        if self._refill is not None:
            await self._refill()

    def _date_job(self, job_id: str, run: Callable[[], Awaitable[None]], due: datetime) -> None:
        """Run `run` once at `due`, even late: APScheduler's 1 s misfire grace would skip it."""
        self._scheduler.add_job(
            run,
            "date",
            run_date=due,
            id=job_id,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    async def _run_write_back(self) -> None:
        self._write_back_at = None
        if self._write_back is not None:
            await self._write_back()

    def shutdown(self) -> None:
        """Stop waking; shut the scheduler down if we created it."""
        self._fire = None
        self._write_back = None
        self._refill = None
        if self._scheduler.running:
            if self._owns_scheduler:
                self._scheduler.shutdown(wait=False)
            else:
                for job_id in (WAKE_JOB_ID, WRITE_BACK_JOB_ID, REFILL_JOB_ID):
                    if self._scheduler.get_job(job_id) is not None:
                        self._scheduler.remove_job(job_id)
        self._wake_at = None

    def _rearm(self, *, force: bool = False) -> None:
        if self._fire is None or not self._scheduler.running:
            return
        earliest = self._queue.earliest()
        if earliest == self._wake_at and not force:
            return
        self._wake_at = earliest
        if earliest is None:
            if self._scheduler.get_job(WAKE_JOB_ID) is not None:
                self._scheduler.remove_job(WAKE_JOB_ID)
            return
        self._date_job(WAKE_JOB_ID, self._wake, earliest)

    def _on_wake_done(self, event: Any) -> None:
        """Our wake-up ran and APScheduler counted it finished: set the next one."""
        if getattr(event, "job_id", None) == WAKE_JOB_ID:
            self._rearm(force=True)

    def _on_wake_trouble(self, event: Any) -> None:
        """APScheduler skipped or failed our wake-up: set it again once it has cleaned up."""
        if getattr(event, "job_id", None) == WAKE_JOB_ID and self._loop is not None:
            log.warning("reminder wake-up was skipped by APScheduler (%s); re-arming", event)
            self._wake_at = None
            self._loop.call_later(0.5, self._rearm)  # later: APScheduler removes the job after us

    async def _wake(self) -> None:
        """Fire everything due, each in its own task (`_on_wake_done` sets the next wake-up)."""
        self._wake_at = None
        fire = self._fire
        if fire is None:
            return
        for reminder_id in self._queue.pop_due(datetime.now(UTC)):
            task = asyncio.create_task(fire(reminder_id), name=f"reminder:{reminder_id}")
            self._tasks.add(task)
            task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("reminder delivery crashed", exc_info=task.exception())
