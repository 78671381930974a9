"""bot/message_time.py: the message times every door accepts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.message_time import in_calendar

EAST, WEST = timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))


@pytest.mark.parametrize(
    ("ts", "accepted"),
    [
        (datetime(1, 12, 31, 23, 0, tzinfo=EAST), False),
        (datetime(2, 1, 1, 0, 0, tzinfo=EAST), True),  # year 1 in UTC, still in the calendar
        (datetime(2025, 3, 4, 9, 15, tzinfo=WEST), True),
        (datetime(9998, 12, 31, 23, 59, tzinfo=WEST), True),
        (datetime(9999, 1, 1, 0, 0, tzinfo=WEST), False),
    ],
)
def test_a_time_is_accepted_when_every_zone_reads_it_inside_the_calendar(ts, accepted):
    assert in_calendar(ts) is accepted
    if accepted:  # and so does a promise's due time a month on, in any zone
        (ts + timedelta(days=31)).astimezone(EAST)
        (ts - timedelta(days=1)).astimezone(WEST)
