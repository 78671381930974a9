"""resolve: which token's offset, day, part and clock make the due time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from coaching.timeexpr import Clock, Day, Offset, TimeToken, resolve

MX = ZoneInfo("America/Mexico_City")
NOW = datetime(2026, 11, 11, 10, 0, tzinfo=MX)  # a Wednesday
IN_AN_HOUR = TimeToken(0, 5, offset=Offset(minutes=60))
TOMORROW = TimeToken(6, 12, day=Day("rel", 1))
AT_FIVE = TimeToken(13, 20, clock=Clock(17))


def test_an_offset_nearest_the_verb_decides_alone() -> None:
    res = resolve([IN_AN_HOUR, TOMORROW, AT_FIVE], NOW, MX)
    assert res is not None
    assert (res.due, res.tokens) == (datetime(2026, 11, 11, 11, 0, tzinfo=MX), (IN_AN_HOUR,))


def test_an_offset_after_a_day_or_clock_is_not_used() -> None:
    res = resolve([TOMORROW, IN_AN_HOUR, AT_FIVE], NOW, MX)
    assert res is not None
    assert (res.due, res.tokens) == (datetime(2026, 11, 12, 17, 0, tzinfo=MX), (TOMORROW, AT_FIVE))


def test_an_offset_sharing_its_token_with_a_day_does_not_come_first() -> None:
    both = TimeToken(0, 5, day=Day("rel", 1), offset=Offset(minutes=60))
    res = resolve([both], NOW, MX)
    assert res is not None
    assert (res.due, res.tokens) == (datetime(2026, 11, 12, 9, 0, tzinfo=MX), (both,))


def test_a_token_giving_day_and_part_is_used_once() -> None:
    tonight = TimeToken(0, 5, day=Day("rel", 0), part="night")
    res = resolve([tonight, AT_FIVE], NOW, MX)
    assert res is not None
    assert res.tokens == (tonight, AT_FIVE)


def test_distinct_keeps_each_token_once_in_order() -> None:
    from coaching.timeexpr import _distinct

    a, b, c = TimeToken(0, 1), TimeToken(0, 1), TimeToken(2, 3)  # a == b, not the same one
    assert _distinct(a, b, c) == (a, b, c)
    assert _distinct(a, a, a) == (a,)
    assert _distinct(None, b, b) == (b,)
    assert _distinct(a, None, a) == (a,)
    assert _distinct(None, None, c) == (c,)
    assert _distinct(None, None, None) == ()
    assert [id(t) for t in _distinct(a, b, a)] == [id(a), id(b)]
