"""The console door: typed lines in, printed replies and reminders out, on the runtime's loop."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from aiohttp import web

from adapters.console.session import AGENT, WORKSPACE, ConsoleSession
from adapters.http_lane import Lane
from bot.config import Settings
from bot.model import DirectMessage, Platform
from bot.service import CoachService


def say(line: str) -> None:
    """Print one line and flush it, so a pipe reader sees it at once."""
    print(line, flush=True)


class ConsoleDoor:
    """A local chat: `chat(lines)` feeds the service; reminders print as direct messages."""

    platform: Platform = "console"

    def __init__(
        self, service: CoachService, settings: Settings, out: Callable[[str], None] = say
    ) -> None:
        self.service = service
        self.out = out
        charts = Path(settings.db).resolve().parent if settings.db != ":memory:" else None
        self.session = ConsoleSession(service, out, charts)

    def add_routes(self, app: web.Application) -> None:
        """The console has no HTTP endpoints."""

    def lanes(self) -> dict[str, Lane]:
        """None on the lean lane either."""
        return {}

    async def deliver(self, message: DirectMessage) -> None:
        """Print the direct message; its buttons become the ones `!boton` presses."""
        self.session.show([message])

    async def start(self) -> None:
        """Record the local workspace (its agent leads it) and greet."""
        self.service.on_install("console", WORKSPACE, AGENT)
        self.out(self.service.texts("console", WORKSPACE, AGENT).welcome())
        note = self.service.zone_note("console", WORKSPACE)
        if note is not None:
            self.out(note)

    async def stop(self) -> None:
        """Nothing runs beside the chat."""

    async def chat(
        self, lines: AsyncIterator[str], prompt: Callable[[], None] | None = None
    ) -> None:
        """Handle typed lines until they end; `prompt` is shown before each read (a terminal)."""
        while True:
            if prompt is not None:
                prompt()
            line = await anext(lines, None)
            if line is None:
                return
            self.session.handle(line)


def _read_lines(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None]) -> None:
    """Feed stdin lines to the loop from a thread, so timers keep firing while we wait."""
    for line in sys.stdin:
        loop.call_soon_threadsafe(queue.put_nowait, line)
    loop.call_soon_threadsafe(queue.put_nowait, None)


async def stdin_lines() -> AsyncIterator[str]:
    """Standard input, line by line, without blocking the loop."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    threading.Thread(target=_read_lines, args=(loop, queue), daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line
