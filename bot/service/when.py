"""When `/coach recordar <qué y cuándo>` is due: a promise's time, else any time phrase in it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.service.deps import Analyzer
from coaching.followup_times import scan
from coaching.lang import detect_lang
from coaching.normalize import fold
from coaching.timeexpr import resolve


def remind_due(analyze: Analyzer, text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """The moment a reminder note names ("llamar a Ana mañana a las 10"), or None if it names none.

    A note is not a promise to a customer, so when no promise verb carries the time, the time
    phrases of the whole note are resolved directly (nearest to the end first).
    """
    found = analyze(text, role="agent", now=now, tz=zone).followups
    if found:
        return found[0].due
    folded = fold(text)
    tokens = scan(folded.text, detect_lang(folded.text), 0, len(folded.text))
    resolved = resolve(list(reversed(tokens)), now.astimezone(zone), zone)
    return None if resolved is None else resolved.due
