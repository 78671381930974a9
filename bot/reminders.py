"""Reminders that are never lost: SQLite rows are the truth, timers only say when to look.

A promise becomes a row first (`add`), then a timer. Only the rows due within a horizon (`HORIZON`,
24 h) are armed: on start those are read from the (status, due_at) index, rows already due fire at
once and are marked late; every `REFILL_EVERY` the horizon moves on and the rows that came within
it are armed (a million pending reminders are not a million objects in memory). A row added or
moved inside the horizon is armed at once; one moved beyond it is disarmed and waits for its
refill. A failed send is counted and retried with backoff.

Several instances may share the rows (PostgreSQL): before sending, an instance claims the row
with a lease (`LEASE`), so one sends it; `sweep()`, run every second or so, claims the due rows no
one holds, such as those armed only on an instance that died.

When the database refuses, a journal file beside it (bot/journal.py) holds what must survive a
stop: a promise already acknowledged, and each delivery (`sending` before the door is asked, then
`sent` or `failed`). At start the journal is replayed: promises are stored, and a reminder that
was sent, or was being sent when the process died, is recorded as sent and never sent again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bot.errors import StoreError
from bot.journal import Journal, reminder_entry, reminder_of
from bot.leases import HeldRows
from bot.metrics import CLAIM_CONFLICTS, REMINDER_LATENESS
from bot.model import DirectMessage
from bot.ports import Clock, Notifier
from bot.store.base import NewReminder, ReminderRow
from bot.store.reminders import Reminders
from bot.timers import Timers
from bot.write_back import WriteBack

log = logging.getLogger(__name__)

Render = Callable[[ReminderRow, bool], DirectMessage]
T = TypeVar("T")

LATE_AFTER = timedelta(minutes=1)  # delivered later than this after its due time counts as late
MAX_BACKOFF = timedelta(minutes=30)
STORE_RETRY = timedelta(minutes=1)  # when the database itself failed, look again this soon
SAVE_RETRY = timedelta(seconds=15)  # a reminder the database refused to store: write it again
LEASE = timedelta(seconds=20)  # a claim not ended by a send by then is free for another instance
SWEEP_LIMIT = 200  # due rows claimed by one sweep
HORIZON = timedelta(hours=24)  # rows due within this are armed; the others wait in the database
REFILL_EVERY = timedelta(hours=1)  # the horizon moves on this often (so >= 23 h stay armed)


def instance_name() -> str:
    """This process's name in claims: host, pid and a random tag (pids repeat across restarts)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failures: 2, 4, 8, 16, then 30 minutes."""
    return min(timedelta(minutes=2 ** min(max(attempts, 1), 5)), MAX_BACKOFF)


class ReminderScheduler:
    """Arms, delivers, snoozes and cancels reminders over the rows, a Notifier and Timers."""

    def __init__(
        self,
        store: Reminders,
        notifier: Notifier,
        timers: Timers,
        clock: Clock,
        render: Render,
        journal: Journal | None = None,
        *,
        owner: str | None = None,
        shared: bool = False,
        horizon: timedelta = HORIZON,
        refill_every: timedelta = REFILL_EVERY,
    ) -> None:
        self.owner = owner or instance_name()
        self.horizon = horizon
        self._refill_every = refill_every
        self._horizon_end: datetime | None = None  # rows due by then are armed; None: not started
        self._touched: set[int] | None = None  # armed or disarmed while a refill reads the rows
        self.shared = shared  # other instances send from the same rows: claim before sending
        self._journal = journal
        self._sending: dict[int, dict[str, Any]] = {}  # journalled as being delivered now
        self._store = store
        self._notifier = notifier
        self._timers = timers
        self._clock = clock
        self._render = render
        self._overdue_at_start: set[int] = set()
        self._in_flight: set[int] = set()
        self._unrecorded: dict[int, tuple[datetime, bool, datetime]] = {}  # sent, not recorded
        self._write_back = WriteBack()  # reminders the database refused to store
        self._held = HeldRows(LEASE)  # claimed and being delivered: `renew` keeps the claims

    def start(self) -> int:
        """Replay the journal, then arm the pending rows due within the horizon (due ones fire at
        once, marked late) and the refill that moves it on; returns how many were armed."""
        self._replay()
        now = self._clock.now()
        until = now + self.horizon
        due_times = self._store.pending_due_between(None, until)
        self._horizon_end = until
        self._overdue_at_start = {row_id for row_id, due in due_times if due <= now}
        self._timers.arm_many(due_times)
        self._timers.arm_refill(now + self._refill_every)
        self._timers.start(self.deliver, self.write_back, self.refill)
        if self._overdue_at_start:
            log.info("%d reminders fell due while Calma was down", len(self._overdue_at_start))
        return len(due_times)

    def shutdown(self) -> None:
        """Stop the timers (pending rows stay pending for the next start); write any kept ones."""
        self._write_back.flush(self._store)  # one last try to write them
        self._sync_journal()
        if self._write_back and self._journal is not None and self._journal.path.exists():
            log.warning(
                "%d reminders could not be stored before shutdown; kept in %s, stored at the next"
                " start",
                len(self._write_back),
                self._journal.path,
            )
        elif self._write_back:
            log.error(
                "%d reminders could not be stored before shutdown and are lost",
                len(self._write_back),
            )
        self._timers.shutdown()

    def add(self, reminder: NewReminder) -> ReminderRow:
        """Store the reminder, then arm it (a failed write raises: nothing is armed unsaved)."""
        row = self._store.add_reminder(reminder)
        self.schedule(row)
        return row

    def add_or_keep(self, reminder: NewReminder) -> ReminderRow | None:
        """Store and arm the reminder; if the database refuses, keep it and retry: then None."""
        try:
            return self.add(reminder)
        except StoreError as exc:
            self.keep(reminder, exc)
            return None

    def keep(self, reminder: NewReminder, exc: Exception) -> None:
        """Hold a refused reminder in the write-back queue (and the journal, so a stop does not
        lose it); it is written again every SAVE_RETRY."""
        key = uuid.uuid4().hex
        self._write_back.put(reminder, key)
        if self._journal is not None:
            self._journal.append(reminder_entry(key, reminder))
        log.error("a reminder could not be stored (%s); retrying the write", exc)
        self._timers.arm_write_back(self._clock.now() + SAVE_RETRY)

    @property
    def unsaved(self) -> int:
        """How many reminders wait in memory for the database."""
        return len(self._write_back)

    def unsaved_for(self, platform: str, workspace: str, user: str) -> list[NewReminder]:
        """The user's promises still waiting for the database, in order."""
        return [
            r
            for _, r in self._write_back.waiting()
            if (r.platform, r.workspace, r.user) == (platform, workspace, user)
        ]

    async def write_back(self) -> None:
        """Write the reminders the database refused; once stored each is armed (and fires at once
        if already due). Whatever is still refused is tried again after SAVE_RETRY."""
        written = self._write_back.flush(self._store)
        for row in written:
            log.info("reminder %d stored after the database came back", row.id)
            self.schedule(row)
        if written:
            self._sync_journal()
        if self._write_back:
            log.error("%d reminders still cannot be stored; retrying", len(self._write_back))
            self._timers.arm_write_back(self._clock.now() + SAVE_RETRY)

    async def refill(self) -> int:
        """Move the horizon on to now + `horizon`: arm the pending rows that came within it since
        the last look (never those already armed: a retry keeps its backoff); how many."""
        now = self._clock.now()
        after, until = self._horizon_end, now + self.horizon
        if after is not None and until <= after:
            self._timers.arm_refill(now + self._refill_every)
            return 0
        # From here a row added or moved before `until` is armed at once (`_arm_near`); the
        # refill then leaves it alone, whatever its read of the row saw.
        self._horizon_end, self._touched = until, set()
        try:
            due_times = await self._off_loop(self._store.pending_due_between, after, until)
        except StoreError as exc:
            log.error("cannot read the next reminders (%s); looking again soon", exc)
            self._horizon_end, self._touched = after, None
            self._timers.arm_refill(now + STORE_RETRY)
            return 0
        touched, self._touched = self._touched, None
        fresh = [(rid, due) for rid, due in due_times if rid not in touched]
        if fresh:
            self._timers.arm_many(fresh)
        self._timers.arm_refill(now + self._refill_every)
        return len(fresh)

    def schedule(self, row: ReminderRow) -> None:
        """Arm a stored pending row at its due time (if within the horizon)."""
        if row.status == "pending":
            self._arm_near(row.id, row.due_at)

    def heard(self, reminder_id: int, due: datetime | None) -> None:
        """A reminder was added or moved (`due`) or ended (None) on some instance (PostgreSQL's
        NOTIFY): arm or disarm it here too, so it goes out on time even if the instance that
        armed it dies; the claim keeps the send single. One due beyond the horizon waits for its
        refill, as a local one does."""
        if due is None:
            self._disarm(reminder_id)
        else:
            self._arm_near(reminder_id, due)

    def reschedule(self, reminder_id: int) -> None:
        """Re-read a row and arm it if pending (and within the horizon), else disarm it."""
        row = self._store.get_reminder(reminder_id)
        if row is None or row.status != "pending":
            self._disarm(reminder_id)
        else:
            self._arm_near(row.id, row.due_at)

    def _arm_near(self, reminder_id: int, due: datetime) -> None:
        """Arm a row due within the horizon; disarm one beyond it (its refill arms it)."""
        if self._touched is not None:
            self._touched.add(reminder_id)
        if self._horizon_end is None or due <= self._horizon_end:
            self._timers.arm(reminder_id, due)
        else:
            self._timers.disarm(reminder_id)

    def _disarm(self, reminder_id: int) -> None:
        if self._touched is not None:
            self._touched.add(reminder_id)
        self._timers.disarm(reminder_id)

    def snooze(self, reminder_id: int, new_due: datetime) -> ReminderRow | None:
        """Move an open reminder to `new_due` and re-arm it; None if it was done or cancelled."""
        row = self._store.snooze(reminder_id, new_due)
        self._overdue_at_start.discard(reminder_id)
        if row is not None:  # pending again at a new time: a send we failed to record is moot
            self._unrecorded.pop(reminder_id, None)
        self.reschedule(reminder_id)
        return row

    def done(self, reminder_id: int) -> bool:
        """Mark an open reminder done and disarm it."""
        changed = self._store.mark_done(reminder_id, self._clock.now())
        self._unrecorded.pop(reminder_id, None)
        self._disarm(reminder_id)
        return changed

    def cancel(self, reminder_id: int) -> bool:
        """Cancel an open reminder and disarm it."""
        changed = self._store.cancel_reminder(reminder_id)
        self._unrecorded.pop(reminder_id, None)
        self._disarm(reminder_id)
        return changed

    async def _off_loop(self, call: Callable[..., T], *args: Any) -> T:
        """A store call on a worker thread when the store is a network database (the loop keeps
        serving meanwhile); a SQLite file is called in place (its connection is this thread's)."""
        if self.shared:
            return await asyncio.to_thread(call, *args)
        return call(*args)

    async def sweep(self, limit: int = SWEEP_LIMIT) -> int:
        """Claim the due rows no live lease holds (armed elsewhere, or on an instance that died)
        and deliver them; how many were claimed."""
        try:
            ids = await self._off_loop(
                self._store.claim_due, self.owner, self._clock.now(), LEASE, limit
            )
        except StoreError as exc:
            log.error("cannot look for due reminders (%s); looking again soon", exc)
            return 0
        fresh = [reminder_id for reminder_id in ids if reminder_id not in self._in_flight]
        await asyncio.gather(*(self.deliver(reminder_id) for reminder_id in fresh))
        return len(ids)

    async def deliver(self, reminder_id: int) -> bool:
        """Send a due reminder once and record it; on failure count it and retry later."""
        if reminder_id in self._in_flight:
            return False
        self._in_flight.add(reminder_id)
        try:
            return await self._deliver(reminder_id)
        finally:
            self._in_flight.discard(reminder_id)

    async def _deliver(self, reminder_id: int) -> bool:
        if reminder_id in self._unrecorded:
            return self._record_sent(reminder_id, *self._unrecorded[reminder_id])
        try:
            row = await self._off_loop(self._store.get_reminder, reminder_id)
        except StoreError as exc:
            log.error("reminder %d: cannot read it (%s); retrying", reminder_id, exc)
            self._timers.arm(reminder_id, self._clock.now() + STORE_RETRY)
            return False
        if row is None or row.status != "pending":
            return False
        now = self._clock.now()
        if row.due_at > now:  # snoozed meanwhile, or woken early
            self._arm_near(row.id, row.due_at)
            return False
        if not await self._claim(row.id, now):
            return False
        late = row.id in self._overdue_at_start or now - row.due_at > LATE_AFTER
        self._note({"op": "sending", "id": row.id, "late": late, "due_at": row.due_at})
        if self.shared:
            self._held.hold(row.id, now)
        try:
            await self._notifier.deliver(self._render(row, late))
        except Exception as exc:  # any failure to send: keep it pending and retry
            self._note({"op": "failed", "id": row.id})
            self._retry_later(row.id, exc)
            return False
        finally:
            self._held.release(row.id)
        self._overdue_at_start.discard(row.id)
        sent_at = self._clock.now()
        REMINDER_LATENESS.observe(max(0.0, (sent_at - row.due_at).total_seconds()))
        return self._record_sent(row.id, sent_at, late, row.due_at)

    async def renew(self) -> int:
        """Keep the claims of reminders still being delivered (a platform slow to answer), so
        no other instance sends them too; how many this instance still held."""
        return await self._held.renew(self._clock.now(), self._reclaim, "reminders")

    async def _reclaim(self, ids: list[int], until: datetime) -> int:
        now = until - LEASE
        held = 0
        for reminder_id in ids:  # a claim by its holder extends it
            claim = self._store.claim
            held += bool(await self._off_loop(claim, reminder_id, self.owner, now, LEASE))
        return held

    async def _claim(self, reminder_id: int, now: datetime) -> bool:
        """Take the row for this instance; if another holds it, look again when its lease ends.

        A store no other instance shares needs no claim (on SQLite it would be a write that a
        locked file refuses, holding back a send the in-memory guard already makes safe)."""
        if not self.shared:
            return True
        try:
            if await self._off_loop(self._store.claim, reminder_id, self.owner, now, LEASE):
                return True
        except StoreError as exc:
            log.error("reminder %d: cannot claim it (%s); retrying", reminder_id, exc)
            self._timers.arm(reminder_id, now + STORE_RETRY)
            return False
        CLAIM_CONFLICTS.inc()
        self._timers.arm(reminder_id, now + LEASE)  # sent by then, or free again
        return False

    def _record_sent(self, reminder_id: int, at: datetime, late: bool, due_at: datetime) -> bool:
        """Record the send; if the database refuses, keep it (in memory and in the journal) so
        it is never sent again, even after a restart."""
        try:
            self._store.mark_sent(reminder_id, at, late, due_at=due_at)
        except StoreError as exc:
            log.error("reminder %d was sent but not recorded (%s); retrying", reminder_id, exc)
            self._unrecorded[reminder_id] = (at, late, due_at)
            self._note({"op": "sent", "id": reminder_id, "at": at, "late": late, "due_at": due_at})
            self._timers.arm(reminder_id, self._clock.now() + STORE_RETRY)
            return True
        self._unrecorded.pop(reminder_id, None)
        self._note({"op": "recorded", "id": reminder_id})
        return True

    # ---- the journal beside the database ----

    def _note(self, entry: dict[str, Any]) -> None:
        """Append a delivery entry; once nothing is outstanding the journal is emptied."""
        if self._journal is None:
            return
        if entry["op"] == "sending":
            self._sending[entry["id"]] = entry
        else:
            self._sending.pop(entry["id"], None)
        outstanding = self._write_back or self._unrecorded or self._sending  # must stay journalled
        if entry["op"] in ("sending", "sent") or outstanding:
            self._journal.append(entry)
        else:  # nothing outstanding: the journal empties
            self._sync_journal()

    def _sync_journal(self) -> None:
        """Rewrite the journal as what is still outstanding: refused promises, unrecorded sends."""
        if self._journal is None:
            return
        entries: list[dict[str, Any]] = [
            reminder_entry(key, r) for key, r in self._write_back.waiting()
        ]
        entries += self._sending.values()
        for rid, (at, late, due_at) in self._unrecorded.items():
            entries.append({"op": "sent", "id": rid, "at": at, "late": late, "due_at": due_at})
        if entries or self._journal.path.exists():
            self._journal.rewrite(entries)

    def _replay(self) -> None:
        """Store what the journal kept: promises, and sends (or sends cut short by a crash)."""
        if self._journal is None:
            return
        entries = self._journal.entries()
        if not entries:
            return
        sends: dict[int, dict[str, Any]] = {}
        for entry in entries:
            op, rid = entry.get("op"), entry.get("id")
            if op == "add":
                reminder = reminder_of(entry)
                if reminder is not None:
                    self._write_back.put(reminder, str(entry.get("key", "")))
            elif op in ("sending", "sent") and isinstance(rid, int):
                sends[rid] = {**sends.get(rid, {}), **entry}
            elif op in ("failed", "recorded") and isinstance(rid, int):
                sends.pop(rid, None)
        for rid, entry in sends.items():
            if entry["op"] == "sending":
                log.warning(
                    "reminder %d was being delivered when Calma stopped; recorded as sent,"
                    " not sent again",
                    rid,
                )
            at = _when(entry.get("at")) or self._clock.now()
            due_at = _when(entry.get("due_at"))
            late = bool(entry.get("late"))
            try:
                self._store.mark_sent(rid, at, late, due_at=due_at)
            except StoreError as exc:
                log.error("reminder %d: its send cannot be recorded yet (%s)", rid, exc)
                self._unrecorded[rid] = (at, late, due_at or at)
        stored = self._write_back.flush(self._store)
        if stored:
            log.info("%d reminders from the journal stored", len(stored))
        if self._write_back:
            log.error(
                "%d reminders from the journal cannot be stored yet; retrying",
                len(self._write_back),
            )
            self._timers.arm_write_back(self._clock.now() + SAVE_RETRY)
        self._sync_journal()

    def _retry_later(self, reminder_id: int, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"
        try:
            attempts = self._store.record_failure(reminder_id, error)
        except StoreError as store_exc:
            log.error("reminder %d: cannot record the failure (%s)", reminder_id, store_exc)
            attempts = 1
        retry_at = self._clock.now() + backoff(attempts)
        if self.shared:  # other instances wait for the backoff too
            try:
                self._store.release(reminder_id, self.owner, until=retry_at)
            except StoreError as store_exc:
                log.error("reminder %d: cannot keep its claim (%s)", reminder_id, store_exc)
        log.warning(
            "reminder %d not delivered (%s); retry %d at %s", reminder_id, error, attempts, retry_at
        )
        self._timers.arm(reminder_id, retry_at)


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
