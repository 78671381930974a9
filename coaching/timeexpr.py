"""Time expressions found near a promise, and how they resolve to a moment (pure, DST-correct)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

DayKind = Literal[
    "rel",  # a = days from today (hoy 0, mañana 1, pasado mañana 2)
    "weekday",  # a = weekday (0 Monday): its next occurrence after today
    "weekday_next",  # a = weekday in next week ("el lunes de la semana que viene")
    "week_end",  # "esta semana": Friday of this week
    "next_week",  # next Monday
    "weekend",  # next Saturday (today if Saturday)
    "next_month",  # the 1st of next month
    "month_end",  # "a fin de mes": the last day of this month
    "date",  # a = month, b = day, c = year (0: the next such date)
    "dom",  # a = day of month: this month, or next if already past
    "past",  # ayer, anoche, last week: the sentence is not a promise
]
Part = Literal["morning", "first", "noon", "afternoon", "night", "late"]
Meridiem = Literal["am", "pm", ""]

MORNING = 9 * 60
LATE = 17 * 60
# Default minute of each part of the day, and the minute it ends ("in progress" until then).
PART_AT: dict[Part, int] = {
    "morning": MORNING,
    "first": MORNING,
    "noon": 12 * 60,
    "afternoon": 15 * 60,
    "night": 20 * 60,
    "late": LATE,
}
PART_ENDS: dict[Part, int] = {
    "morning": 12 * 60,
    "afternoon": 20 * 60,
    "night": 24 * 60,
    "late": 24 * 60,
}
HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Day:
    """A calendar day named relative to the message day."""

    kind: DayKind
    a: int = 0
    b: int = 0
    c: int = 0
    default: int = MORNING  # minute of the day when no time of day is given


@dataclass(frozen=True, slots=True)
class Clock:
    """A clock time as written; the hour is made 24-hour at resolution time."""

    hour: int
    minute: int = 0
    meridiem: Meridiem = ""
    part: Part | None = None
    padded: bool = False  # "07:30": a 24-hour clock, taken as written


@dataclass(frozen=True, slots=True)
class Offset:
    """A span after the message time: minutes elapse, days follow the calendar."""

    minutes: int = 0
    days: int = 0
    bdays: int = 0  # business days: Saturdays and Sundays are skipped, the wall time is kept


@dataclass(frozen=True, slots=True)
class TimeToken:
    """One time expression in the folded text; any of its fields may be set."""

    start: int
    end: int
    day: Day | None = None
    part: Part | None = None
    clock: Clock | None = None
    offset: Offset | None = None


@dataclass(frozen=True, slots=True)
class Resolved:
    """The moment a promise is due (None when the day named is in the past) and its tokens."""

    due: datetime | None
    tokens: tuple[TimeToken, ...]


def clock_minutes(c: Clock, part: Part | None) -> int:
    """Minute of the day (may reach the next day) for a clock and an optional part of the day."""
    h = c.hour
    p = c.part or part
    if c.meridiem == "am":
        h = h % 12
    elif c.meridiem == "pm":
        h = h if h >= 12 else h + 12
    elif c.padded or h == 0 or h > 12:
        pass
    elif p == "afternoon":
        h = h if h == 12 else h + 12
    elif p == "night":
        h = 24 if h == 12 else (h + 12 if h >= 5 else h + 24)
    elif p == "noon":
        h = h + 12 if h < 5 else h
    elif p not in ("morning", "first") and h <= 7:
        h += 12  # a bare "a las 3" is 15:00
    return h * 60 + c.minute


# Kept for the most recent days and zones: the messages of a day name the same few moments
# ("mañana a las 10"), and each costs two zone conversions.
@lru_cache(maxsize=1024)
def _at(d: date, minutes: int, tz: ZoneInfo) -> datetime:
    """Wall time `minutes` after midnight of `d` in `tz`; times in a DST gap move forward."""
    naive = datetime(d.year, d.month, d.day) + timedelta(minutes=minutes)
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def _add(now: datetime, off: Offset, tz: ZoneInfo) -> datetime:
    """Message time plus an offset: calendar days on the wall clock, then elapsed minutes."""
    out = now
    days = off.days
    if off.bdays:  # "en 3 días hábiles": each step lands on the next Monday-to-Friday day
        d = now.date()
        for _ in range(off.bdays):
            d += timedelta(days=3 if d.weekday() == 4 else 2 if d.weekday() == 5 else 1)
        days += (d - now.date()).days
    if days:
        naive = now.replace(tzinfo=None) + timedelta(days=days)
        out = naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    return (out.astimezone(UTC) + timedelta(minutes=off.minutes)).astimezone(tz)


# A date without a year that passed less than this long ago is the past, not next year's: a
# promise keeps to the coming weeks, and a date just gone names what already happened.
_RECENT = timedelta(days=92)


def _date(day: Day, today: date) -> date | None:
    """The calendar date a day expression names, or None if it names no valid date."""
    wd = today.weekday()
    if day.kind == "rel":
        return today + timedelta(days=day.a)
    if day.kind == "weekday":
        return today + timedelta(days=(day.a - wd) % 7 or 7)
    if day.kind == "weekday_next":
        return today + timedelta(days=7 - wd + day.a)
    if day.kind == "week_end":
        return today + timedelta(days=max(0, 4 - wd))  # on a weekend: today
    if day.kind == "next_week":
        return today + timedelta(days=7 - wd)
    if day.kind == "weekend":
        return today + timedelta(days=(5 - wd) % 7)
    if day.kind == "next_month":
        return date(today.year + today.month // 12, today.month % 12 + 1, 1)
    if day.kind == "month_end":
        first = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        return first - timedelta(days=1)
    try:
        if day.kind == "date":
            found = date(day.c or today.year, day.a, day.b)
            if not day.c and today - _RECENT < found < today:
                return found  # "el aviso del 3 de octubre", said in November: the past
            if not day.c and found < today:
                found = date(today.year + 1, day.a, day.b)
            return found
        if day.kind == "dom":
            found = date(today.year, today.month, day.a)
            if found < today:
                found = date(today.year + today.month // 12, today.month % 12 + 1, day.a)
            return found
    except ValueError:
        return None
    return None


# `Resolved(...)` through its slots' descriptors, as followup_times makes a TimeToken (the frozen
# dataclass's __init__ calls object.__setattr__ per field; `resolve` makes one per promise).
_NEW = object.__new__
_SET_DUE, _SET_TOKENS = (Resolved.__dict__[name].__set__ for name in ("due", "tokens"))


def _resolved(due: datetime | None, tokens: tuple[TimeToken, ...]) -> Resolved:
    """`Resolved(due, tokens)`, the same object made faster."""
    made: Resolved = _NEW(Resolved)
    _SET_DUE(made, due)
    _SET_TOKENS(made, tokens)
    return made


def _distinct(
    a: TimeToken | None, b: TimeToken | None, c: TimeToken | None
) -> tuple[TimeToken, ...]:
    """The tokens given (not None), each once (by identity), in order."""
    out: tuple[TimeToken, ...] = () if a is None else (a,)
    if b is not None and b is not a:
        out += (b,)
    if c is not None and c is not a and c is not b:
        out += (c,)
    return out


def resolve(ordered: Sequence[TimeToken], now: datetime, tz: ZoneInfo) -> Resolved | None:
    """Resolve tokens given nearest-first; each field comes from the nearest token that has it."""
    day_t = part_t = clock_t = off_t = None
    # An offset decides when it comes before every day, part and clock (its own token's too).
    offset_first = False
    for tok in ordered:
        if off_t is None and tok.offset is not None:
            off_t = tok
            offset_first = (
                day_t is None and part_t is None and clock_t is None
                and tok.day is None and tok.part is None and tok.clock is None
            )  # fmt: skip
        if day_t is None and tok.day is not None:
            day_t = tok
        if part_t is None and tok.part is not None:
            part_t = tok
        if clock_t is None and tok.clock is not None:
            clock_t = tok
    if day_t is not None and day_t.day is not None and day_t.day.kind == "past":
        return _resolved(None, (day_t,))
    now_l = now.astimezone(tz)
    if offset_first and off_t is not None and off_t.offset is not None:
        return _resolved(_add(now_l, off_t.offset, tz), (off_t,))
    if day_t is None and part_t is None and clock_t is None:
        return None
    due = _due(day_t, part_t, clock_t, now_l, tz)
    if due is None:
        return None
    return _resolved(due, _distinct(day_t, part_t, clock_t))


def _due(
    day_t: TimeToken | None,
    part_t: TimeToken | None,
    clock_t: TimeToken | None,
    now: datetime,
    tz: ZoneInfo,
) -> datetime | None:
    """Combine a day, a part of the day and a clock time into a moment after `now` if possible."""
    today = now.date()
    part = part_t.part if part_t is not None else None
    clock = clock_t.clock if clock_t is not None else None
    day = day_t.day if day_t is not None else None
    if clock is not None:
        minutes = clock_minutes(clock, part)
    elif part is not None:
        minutes = PART_AT[part]
    else:
        minutes = day.default if day is not None else MORNING
    if day is None:
        cand = _at(today, minutes, tz)
        if cand > now:
            return cand
        if clock is None and part is not None:
            now_min = now.hour * 60 + now.minute
            if now_min < PART_ENDS.get(part, 0):
                return now + HOUR  # that part of the day is in progress: "later on"
        return _at(today + timedelta(days=1), minutes, tz)
    found = _date(day, today)
    if found is None:
        return None
    cand = _at(found, minutes, tz)
    if found > today or cand > now:
        return cand
    if found < today:
        return None  # a date with a year already gone
    # Today, already past: an ambiguous 8-11 o'clock may mean the evening; else an hour from now.
    bare = clock is not None and not (clock.meridiem or clock.padded or clock.part or part)
    if bare and clock is not None and 8 <= clock.hour <= 11:
        later = _at(today, minutes + 12 * 60, tz)
        if later > now:
            return later
    return now + HOUR
