"""Test fakes for time: a clock moved by hand, and timers that fire only when a test says so.

Calma itself runs on `SystemClock` (bot/ports.py) and `ApsTimers` (bot/timers.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.ports import Clock
from bot.timers import Fire, QueuedTimers, Refill, WriteBack


def _require_aware(moment: datetime) -> datetime:
    """Reject naive datetimes: every instant in Calma is timezone-aware and kept in UTC."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: give a timezone-aware instant")
    return moment.astimezone(UTC)


class FakeClock:
    """A settable clock for tests; starts at `start` (default 2026-11-09 09:00 UTC, a Monday)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = _require_aware(start or datetime(2026, 11, 9, 9, 0, tzinfo=UTC))

    def now(self) -> datetime:
        """The current fake instant, in UTC."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move time forward (never back) and return the new instant."""
        if delta < timedelta(0):
            raise ValueError("a clock only moves forward; use set() to jump")
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> datetime:
        """Jump to `moment` (any direction) and return it in UTC."""
        self._now = _require_aware(moment)
        return self._now


class FakeTimers(QueuedTimers):
    """Timers for tests: nothing fires until `run_due()` is awaited, judged by a fake clock."""

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self._clock = clock

    def start(self, fire: Fire, write_back: WriteBack, refill: Refill | None = None) -> None:
        """Remember what to call; firing happens in `run_due()`."""
        self._fire = fire
        self._write_back = write_back
        self._refill = refill

    def shutdown(self) -> None:
        """Stop: later `run_due()` calls fire nothing."""
        self._fire = None
        self._write_back = None
        self._refill = None

    async def run_due(self) -> list[int]:
        """Refill the horizon if that is due, fire every reminder due by the clock's now (once
        each), then the write-back if it is due; returns the reminder ids fired."""
        if self._fire is None:
            return []
        now = self._clock.now()
        if self._refill is not None and self._refill_at is not None and self._refill_at <= now:
            self._refill_at = None
            await self._refill()
        fired = self._queue.pop_due(now)
        for reminder_id in fired:
            await self._fire(reminder_id)
        if self._write_back is not None and self._write_back_at and self._write_back_at <= now:
            self._write_back_at = None
            await self._write_back()
        return fired
