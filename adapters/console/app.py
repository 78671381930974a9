"""`calma console`: the whole bot on one asyncio loop, with stdin as the chat and live reminders."""

from __future__ import annotations

import asyncio
import sys
import threading
from dataclasses import replace

from adapters.console.render import reply_text
from adapters.console.session import AGENT, WORKSPACE, ConsoleSession
from bot.config import Settings
from bot.i18n import t
from bot.model import DirectMessage
from bot.ports import SystemClock
from bot.service import build
from bot.store.sqlite import SqliteStore
from bot.timers import ApsTimers

DRAIN_SECONDS = 0.2  # at end of input, let reminders already due print before leaving


def say(line: str) -> None:
    """Print one line and flush it, so a pipe reader sees it at once."""
    print(line, flush=True)


class ConsoleNotifier:
    """Delivers reminders (and lead alerts) by printing them as direct messages."""

    def __init__(self, session: ConsoleSession | None = None) -> None:
        self.session = session

    async def deliver(self, message: DirectMessage) -> None:
        """Print the direct message; its buttons become the ones `!boton` presses."""
        if self.session is not None:
            self.session.show([message])


def _read_lines(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None]) -> None:
    """Feed stdin lines to the loop from a thread, so timers keep firing while we wait."""
    for line in sys.stdin:
        loop.call_soon_threadsafe(queue.put_nowait, line)
    loop.call_soon_threadsafe(queue.put_nowait, None)


async def run(settings: Settings) -> int:
    """Run the console chat until end of input; returns the exit code."""
    clock = SystemClock()
    store = SqliteStore(settings.db)
    notifier = ConsoleNotifier()
    service = build(store, clock, notifier, ApsTimers(), settings)
    service.on_install("console", WORKSPACE, AGENT)
    session = ConsoleSession(service, settings.lang, say)
    notifier.session = session
    tty = sys.stdin.isatty()
    say(t("console.welcome", settings.lang))
    service.reminders.start()
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    threading.Thread(target=_read_lines, args=(loop, queue), daemon=True).start()
    try:
        while True:
            if tty:
                print(t("console.prompt", settings.lang) + " ", end="", flush=True)
            line = await queue.get()
            if line is None:
                break
            session.handle(line)
        await asyncio.sleep(DRAIN_SECONDS)
    finally:
        service.reminders.shutdown()
        store.close()
    say(t("console.bye", settings.lang))
    return 0


def main(settings: Settings, *, db: str | None, tz: str | None, lang: str | None) -> int:
    """Apply the command-line overrides and run the chat."""
    chosen = replace(
        settings,
        db=db or settings.db,
        tz=tz or settings.tz,
        lang="en" if lang == "en" else "es" if lang == "es" else settings.lang,
    )
    return asyncio.run(run(chosen))


__all__ = ["ConsoleNotifier", "main", "reply_text", "run"]
