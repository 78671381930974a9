"""The `calma` command line: one argparse parser whose subcommands come from registrar modules.

To add a subcommand, write a module with

    def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        p = subparsers.add_parser("name", help="one line shown by `calma --help`")
        p.add_argument(...)
        p.set_defaults(handler=_run)      # _run(args: argparse.Namespace) -> int

and add its `register` to REGISTRARS below. A handler returns the exit code; it prints its own
output. Exit 2 is for unusable arguments (argparse uses it too).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeAlias

from app import cli_coaching, cli_console, cli_doors, cli_report

if TYPE_CHECKING:
    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

Registrar: TypeAlias = Callable[["Subparsers"], None]
Handler: TypeAlias = Callable[[argparse.Namespace], int]

# One line per module that contributes subcommands, in the order `calma --help` lists them.
REGISTRARS: tuple[Registrar, ...] = (
    cli_coaching.register,
    cli_console.register,
    cli_doors.register,
    cli_report.register,
)


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="calma",
        description="Calma: a calm-down coach for customer-service agents (Spanish first).",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in REGISTRARS:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `calma` with `argv` (default: the process arguments) and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except BrokenPipeError:
        # The reader went away (`calma analyze --jsonl | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
