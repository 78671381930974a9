"""A clock tests move by hand: `now()` like `SystemClock`, but time passes only when told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


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
