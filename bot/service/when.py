"""When `/coach recordar <qué y cuándo>` is due, and what it is about once its time is taken out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.service.deps import Analyzer
from coaching.followup_times import scan
from coaching.lang import detect_lang
from coaching.normalize import fold
from coaching.timeexpr import resolve

# What may dangle at either end of a note once its time phrase is cut out.
_EDGE = re.compile(r"^[\s,;:.\-–—]+|[\s,;:\-–—]+$")
_SPACES = re.compile(r"[ \t]{2,}")


@dataclass(frozen=True)
class Note:
    """A reminder note: when it is due (None: no time in it) and what to do."""

    due: datetime | None
    what: str
    only_time: bool = False  # the note says when and nothing else ("mañana")


def remind_note(analyze: Analyzer, text: str, now: datetime, zone: ZoneInfo) -> Note:
    """The moment a note names and the note without its time phrase.

    "enviar la factura en 1 minuto" is due in a minute and is about "enviar la factura". A note is
    not a promise to a customer, so when no promise verb carries the time, the time phrases of
    the whole note are resolved directly (nearest to the end first). When nothing but the time is
    left, the note stays as typed.
    """
    folded = fold(text)
    tokens = scan(folded.text, detect_lang(folded.text), 0, len(folded.text))
    resolved = resolve(list(reversed(tokens)), now.astimezone(zone), zone)
    found = analyze(text, role="agent", now=now, tz=zone).followups
    due = found[0].due if found else None if resolved is None else resolved.due
    if due is None or resolved is None:
        return Note(due, text.strip())
    what = text
    for token in sorted(resolved.tokens, key=lambda tok: tok.start, reverse=True):
        start, end = folded.span(token.start, token.end)
        what = what[:start] + " " + what[end:]
    what = _EDGE.sub("", _SPACES.sub(" ", what))
    return Note(due, what or text.strip(), only_time=not what)
