"""`calma console`: a local chat with the whole bot (no accounts, no network)."""

from __future__ import annotations

import argparse
import sys

from bot.config import ConfigError, Settings
from bot.store.errors import StoreError


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


def _run(args: argparse.Namespace) -> int:
    from adapters.console.app import main  # the bot never imports a door at import time

    try:
        return main(Settings.from_env(), db=args.db, tz=args.tz, lang=args.lang)
    except (ConfigError, StoreError) as exc:
        print(f"calma: {exc}", file=sys.stderr)
        return 2
