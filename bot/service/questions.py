"""Questions the coach asks and the agent answers with their next private line.

`/coach recordar enviar la factura` asks when; `/coach recordar mañana` asks what; "Cambiar hora"
asks for the new time. The next line the agent writes to Coach privately (the console, a Slack DM
with Coach, the Teams 1:1 chat) answers it. Questions live in memory for a short while: a
restart forgets them, and the agent simply asks again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from threading import Lock

from bot.model import Platform

TTL = timedelta(minutes=30)  # an unanswered question is forgotten after this long


@dataclass(frozen=True)
class AskWhen:
    """A reminder note waiting for its time."""

    what: str
    channel: str | None
    thread: str | None


@dataclass(frozen=True)
class AskWhat:
    """A time waiting for what to remind."""

    due: datetime
    channel: str | None
    thread: str | None


@dataclass(frozen=True)
class AskNewTime:
    """A reminder waiting for the new time its owner will type."""

    reminder_id: int


Question = AskWhen | AskWhat | AskNewTime
Key = tuple[Platform, str, str]


class Questions:
    """The one open question per person, with when it was asked."""

    def __init__(self) -> None:
        self._open: dict[Key, tuple[Question, datetime]] = {}
        self._lock = Lock()

    def ask(self, key: Key, question: Question, now: datetime) -> None:
        """Open `question` for the person; it replaces any earlier one."""
        with self._lock:
            self._open[key] = (question, now)

    def pending(self, key: Key, now: datetime) -> Question | None:
        """The person's open question, if it is recent enough."""
        with self._lock:
            found = self._open.get(key)
            if found is None:
                return None
            if now - found[1] > TTL:
                del self._open[key]
                return None
            return found[0]

    def close(self, key: Key) -> None:
        """Forget the person's question (answered, or made moot)."""
        with self._lock:
            self._open.pop(key, None)
