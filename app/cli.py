"""The `calma` command line: one argparse parser whose subcommands come from registrar modules.

To add a subcommand, write a module with

    def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        p = subparsers.add_parser("name", help="one line shown by `calma --help`")
        p.add_argument(...)
        p.set_defaults(handler=_run)      # _run(args: argparse.Namespace) -> int

and add it to REGISTRARS below. A handler returns the exit code; it prints its own
output. Exit 2 is for unusable arguments (argparse uses it too).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

Registrar: TypeAlias = Callable[["Subparsers"], None]
Handler: TypeAlias = Callable[[argparse.Namespace], int]

# The modules that contribute subcommands (each by its `register`), in the order `calma --help`
# lists them.
REGISTRARS: tuple[str, ...] = (
    "app.cli_coaching",
    "app.cli_console",
    "app.cli_doors",
    "app.cli_report",
)
# The subcommands of app.cli_coaching: run with one of them first, `calma` builds only that
# module's parser, so `calma analyze --jsonl` does not import the other modules (the report's
# message catalogue and YAML, the doors' logging: about 20 ms of every run's start-up).
COACHING_COMMANDS = frozenset({"analyze", "check", "tips"})


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser: every registered subcommand, or only the coaching ones when `argv` starts
    with one of them."""
    parser = argparse.ArgumentParser(
        prog="calma",
        description="Calma: a calm-down coach for customer-service agents (Spanish first).",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    modules = REGISTRARS[:1] if argv and argv[0] in COACHING_COMMANDS else REGISTRARS
    for name in modules:
        register: Registrar = import_module(name).register
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `calma` with `argv` (default: the process arguments) and return the exit code."""
    if argv is None:
        argv = sys.argv[1:]
    # Building the parser imports the subcommand's modules: long-lived objects only (compiled
    # rules, tables), no garbage, so the cyclic collector has nothing to find there and its
    # passes over the growing heap are skipped. They are frozen before it runs again: else its
    # first young pass walks every object the imports made (about 10 ms of every start).
    gc.disable()
    try:
        parser = build_parser(argv)
    finally:
        gc.freeze()
        gc.enable()
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
