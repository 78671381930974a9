"""A whole CoachService for tests: real SqliteStore in tmp_path, FakeClock, FakeTimers."""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

from bot.config import Settings
from bot.journal import Journal
from bot.model import (
    Action,
    Button,
    Card,
    Command,
    IncomingMessage,
    PrivateNotice,
    PrivateNudge,
    Reply,
    UpdateOriginal,
    person,
)
from bot.service import CoachService, build
from bot.store.opening import open_store
from tests.bot.conftest import RecordingNotifier
from tests.fakes import FakeClock, FakeTimers

WS = "T1"
CHANNEL = "C1"
_events = itertools.count(1)


class Kit:
    """One service over one database file; `restart()` builds a new one on the same file."""

    def __init__(
        self,
        path: Path | str,
        clock: FakeClock,
        tz: str = "America/Mexico_City",
        *,
        busy_timeout: float = 5.0,
        journal: bool = False,
    ) -> None:
        self.journal = Journal.beside(str(path)) if journal else None
        self.path = path
        self.clock = clock
        self.busy_timeout = busy_timeout
        self.settings = Settings(db=str(path), tz=tz, lang="es")
        self.notifier = RecordingNotifier()
        self._open()

    def _open(self) -> None:
        self.store = open_store(str(self.path), clock=self.clock, busy_timeout=self.busy_timeout)
        self.timers = FakeTimers(self.clock)
        self.service: CoachService = build(
            self.store, self.clock, self.notifier, self.timers, self.settings, journal=self.journal
        )
        self.service.reminders.start()

    def restart(self) -> None:
        """Stop this service (as a crash would) and start a new one on the same file."""
        self.service.reminders.shutdown()
        self.store.close()
        self._open()

    def say(
        self,
        text: str,
        author: str = "U1",
        *,
        channel: str = CHANNEL,
        thread: str | None = None,
        customer: bool = False,
        event_id: str | None = None,
        message_ref: str | None = None,
        edited: bool = False,
        deduplicated: bool = False,
    ) -> list[Reply]:
        event = event_id or f"E{next(_events)}"
        return self.service.on_message(
            IncomingMessage(
                platform="slack",
                workspace=WS,
                channel=channel,
                thread=thread,
                author=author,
                is_customer=customer,
                text=text,
                ts=self.clock.now(),
                event_id=event,
                message_ref=message_ref or event,
                permalink=f"https://example.slack.com/archives/{channel}/p{event}",
                edited=edited,
                deduplicated=deduplicated,
            )
        )

    def coach(
        self,
        text: str,
        author: str = "U1",
        *,
        admin: bool = False,
        event_id: str | None = None,
        people: tuple[str, ...] = (),
    ) -> list[Reply]:
        """`/coach <text>` in the neutral form: the people it names are `person(id)` in `text`
        and listed in `people` (as a door hands them over)."""
        cmd = Command(
            "slack",
            WS,
            CHANNEL,
            author,
            f"/coach {text}",
            self.clock.now(),
            is_admin=admin,
            event_id=event_id,
            people=people,
        )
        return self.service.on_command(cmd)

    def naming(self, words: str, user: str, author: str = "U1") -> list[Reply]:
        """`/coach <words> <person>`, the person named as a door names them."""
        return self.coach(f"{words} {person(user)}", author, people=(user,))

    def press(
        self, button: Button, author: str = "U1", *, event_id: str | None = None
    ) -> list[Reply]:
        action = Action(
            "slack",
            WS,
            CHANNEL,
            author,
            button.action,
            button.value,
            self.clock.now(),
            event_id=event_id,
        )
        return self.service.on_action(action)

    def lead(self, user: str = "LEAD") -> None:
        self.service.on_install("slack", WS, user)

    def advance(self, **kw: float) -> None:
        self.clock.advance(timedelta(**kw))


def only(replies: list[Reply]) -> Reply:
    assert len(replies) == 1, replies
    return replies[0]


def card_of(reply: Reply) -> Card:
    assert isinstance(reply, PrivateNudge | PrivateNotice | UpdateOriginal), reply
    return reply.card


def text_of(replies: list[Reply]) -> str:
    return "\n".join(r.card.plain_text() for r in replies)


def button(card: Card, action: str) -> Button:
    return next(b for b in card.buttons if b.action == action)
