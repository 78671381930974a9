"""Questions the coach asks and the agent answers with their next private line.

`/coach recordar enviar la factura` asks when; `/coach recordar mañana` asks what; "Cambiar hora"
asks for the new time. The next line the agent writes to Coach privately (the console, a Slack DM
with Coach, the Teams 1:1 chat) answers it. Questions are kept in the store for half an hour, so a
restart, or another instance behind the same database, still takes the answer.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.errors import StoreError
from bot.model import Platform
from bot.store.questions import OpenQuestions, QuestionRow

log = logging.getLogger(__name__)

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


def encode(question: Question) -> tuple[str, str]:
    """(kind, body) as the store keeps them."""
    match question:
        case AskWhen(what=what, channel=channel, thread=thread):
            return "when", json.dumps({"what": what, "channel": channel, "thread": thread})
        case AskWhat(due=due, channel=channel, thread=thread):
            body = {"due": due.isoformat(), "channel": channel, "thread": thread}
            return "what", json.dumps(body)
        case AskNewTime(reminder_id=reminder_id):
            return "new_time", json.dumps({"id": reminder_id})


def _text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    return value if isinstance(value, str) else None


def decode(row: QuestionRow) -> Question | None:
    """The question a stored row holds; None for a row this version cannot read."""
    try:
        data = json.loads(row.body)
        if not isinstance(data, dict):
            return None
        if row.kind == "when" and isinstance(data.get("what"), str):
            return AskWhen(data["what"], _text(data, "channel"), _text(data, "thread"))
        if row.kind == "what" and isinstance(data.get("due"), str):
            due = datetime.fromisoformat(data["due"])
            return AskWhat(due, _text(data, "channel"), _text(data, "thread"))
        if row.kind == "new_time" and type(data.get("id")) is int:
            return AskNewTime(data["id"])
    except ValueError:
        pass
    return None


class Questions:
    """The one open question per person, kept in the store with when it was asked.

    Raises `StoreError` like the store does: the service's handlers report it as they report any
    other storage failure."""

    def __init__(self, store: OpenQuestions) -> None:
        self.store = store

    def ask(self, key: Key, question: Question, now: datetime) -> None:
        """Open `question` for the person; it replaces any earlier one."""
        kind, body = encode(question)
        self.store.ask_question(*key, kind, body, now)

    def pending(self, key: Key, now: datetime) -> Question | None:
        """The person's open question, if it is recent enough (a stale one is forgotten)."""
        row = self.store.open_question(*key)
        if row is None:
            return None
        question = decode(row) if now - row.asked_at <= TTL else None
        if question is None:
            self.store.close_question(*key)
        return question

    def close(self, key: Key, *, known: bool = False) -> None:
        """Forget the person's question (answered, or made moot). Unless the caller `known` it is
        open, only a question that is there costs a write; a refused write is logged, not raised:
        what made the question moot (a reminder kept while the database is locked) matters more,
        and it expires anyway."""
        if not known and self.store.open_question(*key) is None:
            return
        try:
            self.store.close_question(*key)
        except StoreError as exc:
            log.error("question left open (it expires in %s): %s", TTL, exc)

    def prune(self, now: datetime) -> int:
        """Forget every question older than TTL; how many went."""
        return self.store.prune_questions(now - TTL)
