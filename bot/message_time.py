"""Which message times Calma accepts from a door.

A message time in datetime's first or last year may fall outside its calendar once read in a zone
(offsets reach 14 hours) or once a promise's due time is worked out from it: every door refuses
one as bad input, before it reaches code that would raise. A module of its own: `calma analyze
--jsonl` imports it at every start, and the model's classes would cost that start 20 ms.
"""

from __future__ import annotations

from datetime import datetime

FIRST_YEAR, LAST_YEAR = 2, 9998


def in_calendar(ts: datetime) -> bool:
    """True for a message time Calma can read in any zone and date promises from."""
    return FIRST_YEAR <= ts.year <= LAST_YEAR
