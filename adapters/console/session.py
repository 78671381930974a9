"""One console chat: lines become neutral events for the service; replies are printed."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from adapters.console.charts import save_chart
from adapters.console.render import reply_text
from bot.commands import fold
from bot.model import (
    Action,
    Button,
    Command,
    IncomingMessage,
    Reply,
    UpdateOriginal,
    person,
    without_markers,
)
from bot.service import CoachService, DoorTexts, console_words

WORKSPACE = "local"
CHANNEL = "consola"
AGENT = "agent"
CUSTOMER = "cliente"
_TYPED_PERSON = re.compile(r"(?<!\S)@([^\s@]{1,80})")  # `@ana` (not the `@` of an address)
_TRAILING = ".,;:!?"


def command_line(text: str) -> tuple[str, tuple[str, ...]]:
    """A console command in the neutral form: each `@name` is the person `name` (the console's
    people are the names typed), `@coach` itself excepted; and the ids of the people it names."""
    people: list[str] = []

    def mark(m: re.Match[str]) -> str:
        name = m.group(1).rstrip(_TRAILING)
        if not name or fold(name) in ("coach", "calma"):
            return m.group(0)
        people.append(name)
        return person(name) + m.group(1)[len(name) :]

    line = _TYPED_PERSON.sub(mark, without_markers(text))
    return line, tuple(dict.fromkeys(people))


_CUSTOMER_PREFIXES = frozenset(fold(word) for word in console_words("customer_prefix"))
_BUTTON_WORDS = console_words("button_words")
_HELP_WORDS = console_words("help_slips")


class ConsoleSession:
    """Turns typed lines into messages, commands and button presses; prints what comes back."""

    def __init__(
        self,
        service: CoachService,
        out: Callable[[str], None],
        chart_dir: Path | None = None,
    ) -> None:
        self.service = service
        self.out = out
        self.chart_dir = chart_dir or Path.cwd()  # where a digest's chart is written
        self.buttons: tuple[Button, ...] = ()

    def texts(self) -> DoorTexts:
        """The service's words for the console user, in their language now (`/coach idioma en`
        changes it at once)."""
        return self.service.texts("console", WORKSPACE, AGENT)

    def show(self, replies: list[Reply]) -> None:
        """Print replies; the last card with buttons is the one `!boton` presses."""
        texts = self.texts()
        for reply in replies:
            lines, buttons = reply_text(reply, texts)
            for line in lines:
                self.out(line)
            if reply.card.chart is not None:
                saved = save_chart(reply.card.chart, self.chart_dir, self.service.now())
                if saved is not None:
                    self.out("  " + texts.chart_saved(str(saved)))
            if buttons or isinstance(reply, UpdateOriginal):
                self.buttons = buttons  # an answered card replaces the pressed one, buttons too

    def handle(self, line: str) -> None:
        """One typed line."""
        text = line.strip()
        if not text:
            return
        now = self.service.now()
        head, sep, rest = text.partition(":")
        first = text.split()[0].casefold()
        if first in _BUTTON_WORDS:
            self._press(text.split()[1:], now)
        elif text.casefold() in _HELP_WORDS:  # a slip for "/coach ayuda", not a line to coach
            self.out(self.texts().help_hint())
        elif text.casefold().startswith("/coach"):
            line, people = command_line(text)
            cmd = Command(
                "console", WORKSPACE, CHANNEL, AGENT, line, now, is_admin=True, people=people
            )
            self.show(self.service.on_command(cmd))
        elif sep and fold(head) in _CUSTOMER_PREFIXES:
            self.show(self.service.on_message(self._message(CUSTOMER, rest.strip(), now, True)))
        elif self.service.awaits_answer("console", WORKSPACE, AGENT):
            # Coach asked something: the console is also the private chat, so this line answers.
            line, people = command_line(text)
            cmd = Command(
                "console",
                WORKSPACE,
                CHANNEL,
                AGENT,
                line,
                now,
                is_admin=True,
                direct=True,
                people=people,
            )
            self.show(self.service.on_command(cmd))
        else:
            self.show(self.service.on_message(self._message(AGENT, text, now, False)))

    def _message(self, author: str, text: str, now: datetime, customer: bool) -> IncomingMessage:
        event = uuid.uuid4().hex
        return IncomingMessage(
            "console",
            WORKSPACE,
            CHANNEL,
            None,
            author,
            customer,
            text,
            now,
            event,
            message_ref=event,
        )

    def _press(self, args: list[str], now: datetime) -> None:
        n = int(args[0]) if args and args[0].isdigit() else 0
        if not 1 <= n <= len(self.buttons):
            self.out(self.texts().no_buttons())
            return
        button = self.buttons[n - 1]
        action = Action("console", WORKSPACE, CHANNEL, AGENT, button.action, button.value, now)
        self.show(self.service.on_action(action))
