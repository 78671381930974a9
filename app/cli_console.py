"""`calma console`: a local chat with the whole bot (no accounts, no network), on the runtime.

The door, the runtime and the store are imported when the chat runs, so registering `console`
costs `calma analyze` nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings
from bot.errors import StoreError

if TYPE_CHECKING:
    from bot.ports import Clock
    from bot.timers import Timers

DRAIN_SECONDS = 0.2  # at end of input, let reminders already due print before leaving
BUSY_TIMEOUT = 5.0  # one person at a terminal: no platform deadline to answer within


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `console` to the `calma` parser."""
    p = subparsers.add_parser(
        "console",
        help="a local chat with Calma: agent lines, 'cliente: …' lines, /coach, live reminders",
        description="Chat with Calma in the terminal (or through a pipe). A line is the agent's"
        " message; 'cliente: …' is a customer's; '/coach …' a command; '!boton N' presses button"
        " N of the last card. End of input (Ctrl+D) quits.",
    )
    p.add_argument("--db", help="SQLite file (default: CALMA_DB or ./calma.db)")
    p.add_argument("--tz", help="time zone (default: CALMA_TZ or UTC)")
    p.add_argument("--lang", choices=("es", "en"), help="language (default: CALMA_LANG or es)")
    p.set_defaults(handler=_run)


async def run(
    settings: Settings,
    lines: AsyncIterator[str] | None = None,
    out: Callable[[str], None] | None = None,
    *,
    clock: Clock | None = None,
    timers: Timers | None = None,
) -> int:
    """Run the console chat until its lines end (default: standard input); the exit code.

    `out` prints a line (default: standard output)."""
    from adapters.console.door import ConsoleDoor, say, stdin_lines
    from adapters.console.terminal import Terminal
    from app.runtime import Runtime
    from bot.service import DoorTexts

    terminal = Terminal() if lines is None and sys.stdin.isatty() else None
    write = out or (terminal.out if terminal is not None else say)
    runtime = Runtime(settings, clock, timers=timers, busy_timeout=BUSY_TIMEOUT)
    door = runtime.open(lambda service, chosen: ConsoleDoor(service, chosen, write))
    texts = DoorTexts(settings.lang)
    try:
        await runtime.start()
        if terminal is not None:  # a person typing: line editing, history, a prompt kept in place
            typing = terminal

            def ask() -> None:
                typing.ask(door.session.texts().prompt() + " ")

            await door.chat(typing.lines(), ask)
        elif lines is None:
            await door.chat(stdin_lines())
        else:
            await door.chat(lines)
        await _sleep(DRAIN_SECONDS)
        texts = door.session.texts()
    finally:
        await runtime.stop()
    write(texts.bye())
    return 0


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


def chosen_settings(
    settings: Settings, *, db: str | None, tz: str | None, lang: str | None
) -> Settings:
    """The settings with the command-line overrides applied."""
    return replace(
        settings,
        db=db or settings.db,
        tz=tz or settings.tz,
        lang="en" if lang == "en" else "es" if lang == "es" else settings.lang,
    )


def _run(args: argparse.Namespace) -> int:
    try:
        settings = chosen_settings(Settings.from_env(), db=args.db, tz=args.tz, lang=args.lang)
        import asyncio  # here, not at the top: `calma analyze` and `check` need no event loop

        return asyncio.run(run(settings))
    except (ConfigError, StoreError) as exc:
        print(f"calma: {exc}", file=sys.stderr)
        return 2
