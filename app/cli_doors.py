"""`calma slack`, `calma teams`, `calma serve`, `calma teams-package`: the network doors.

Each handler imports its door when it runs, so `calma analyze` never loads Slack's or Teams' SDK.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from app import logs
from bot.config import ConfigError, Settings
from bot.errors import StoreError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 3978


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the door commands to the `calma` parser."""
    p = subparsers.add_parser(
        "slack",
        help="run the Slack app (Socket Mode with SLACK_APP_TOKEN, or --http)",
        description="Run Calma's Slack app. With SLACK_APP_TOKEN set it connects over Socket Mode;"
        " with --http it serves the Events API, slash commands and interactivity at"
        " POST /slack/events (signatures checked with SLACK_SIGNING_SECRET).",
    )
    p.add_argument("--http", action="store_true", help="serve HTTP instead of Socket Mode")
    p.add_argument(
        "--health-port",
        type=_port_option,
        help="Socket Mode: serve GET /healthz on this port (database and connection checks)",
    )
    _server_options(p)
    p.set_defaults(handler=_slack)

    p = subparsers.add_parser(
        "teams",
        help="run the Microsoft Teams bot at POST /api/messages",
        description="Run Calma's Teams bot (Bot Framework endpoint POST /api/messages). Credentials"
        " come from MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId, MicrosoftAppType;"
        " with no MicrosoftAppId, authentication is off (for the Bot Framework Emulator).",
    )
    _server_options(p)
    p.set_defaults(handler=_teams)

    p = subparsers.add_parser(
        "serve",
        help="run Slack (HTTP) and Teams in one process, on one port",
        description="Serve POST /slack/events and POST /api/messages from one process, one loop and"
        " one reminder scheduler.",
    )
    _server_options(p)
    p.set_defaults(handler=_serve)

    p = subparsers.add_parser(
        "teams-package",
        help="write the Teams app package (manifest.json and icons) as a zip",
        description="Write the Teams app package for the bot whose id is MicrosoftAppId"
        " (or --app-id).",
    )
    p.add_argument("--out", default="calma-teams.zip", help="zip file (default: calma-teams.zip)")
    p.add_argument("--app-id", help="the bot's Microsoft app id (default: MicrosoftAppId)")
    p.add_argument("--version", default="1.0.0", help="the package version (default: 1.0.0)")
    p.set_defaults(handler=_teams_package)


def _server_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address (default: {DEFAULT_HOST})")
    p.add_argument(
        "--port",
        type=_port_option,
        default=None,
        help=f"port, 0 for any free one (default: PORT, else {DEFAULT_PORT})",
    )
    p.add_argument(
        "--db", help="SQLite file or postgresql:// URL (default: CALMA_DB or ./calma.db)"
    )
    p.add_argument(
        "--log-format",
        choices=logs.FORMATS,
        default=os.environ.get("CALMA_LOG_FORMAT", "text"),
        help="text, or json: one JSON object a line (default: CALMA_LOG_FORMAT or text)",
    )


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if getattr(args, "db", None):
        settings = replace(settings, db=args.db)
    return settings


def port_number(text: str, name: str = "port") -> int:
    """A TCP port as typed: a whole number from 0 (any free one, printed at start) to 65535."""
    digits = text.strip()
    port = int(digits) if digits.isascii() and digits.isdecimal() and len(digits) <= 5 else -1
    if not 0 <= port <= 65535:
        raise ConfigError(f"{name} must be a whole number from 0 to 65535, not {text!r}")
    return port


def _port_option(text: str) -> int:
    try:
        return port_number(text)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _port(args: argparse.Namespace) -> int:
    if args.port is not None:
        return int(args.port)
    return port_number(os.environ.get("PORT", str(DEFAULT_PORT)), "PORT")


def _run(main: Callable[[], Any], log_format: str = "text") -> int:
    logs.configure(log_format)
    try:
        import asyncio  # here, not at the top: `calma analyze` and `check` need no event loop

        with asyncio.Runner(loop_factory=_loop_factory()) as runner:
            return int(runner.run(main()))
    except (ConfigError, StoreError) as exc:
        print(f"calma: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


def _loop_factory() -> Callable[[], Any] | None:
    """uvloop's event loop when it is installed (the doors' HTTP, sockets and callbacks cost
    about a third less CPU on it), else asyncio's own; CALMA_LOOP=asyncio picks asyncio's."""
    if os.environ.get("CALMA_LOOP", "").strip().lower() == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _slack(args: argparse.Namespace) -> int:
    from adapters.slack.door import slack_door
    from app.runtime import serve

    def main() -> Any:
        settings = _settings(args)
        http = bool(args.http)
        if not http and not settings.slack_app_token:
            raise ConfigError("Socket Mode needs SLACK_APP_TOKEN (xapp-…); or use --http")
        factory = slack_door(http=http)
        return serve(
            settings,
            [factory],
            host=args.host,
            port=_port(args),
            http=http,
            health_port=None if http else args.health_port,
        )

    return _run(main, args.log_format)


def _teams(args: argparse.Namespace) -> int:
    from adapters.teams.door import teams_door
    from app.runtime import serve

    def main() -> Any:
        settings = _settings(args)
        return serve(settings, [teams_door()], host=args.host, port=_port(args))

    return _run(main, args.log_format)


def _serve(args: argparse.Namespace) -> int:
    from adapters.slack.door import slack_door
    from adapters.teams.door import teams_door
    from app.runtime import serve

    def main() -> Any:
        settings = _settings(args)
        factories = [slack_door(http=True), teams_door()]
        return serve(settings, factories, host=args.host, port=_port(args))

    return _run(main, args.log_format)


def _teams_package(args: argparse.Namespace) -> int:
    from adapters.teams.package import build_package

    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"calma: {exc}", file=sys.stderr)
        return 2
    app_id = args.app_id or settings.ms_app_id
    if not app_id:
        print("calma: set MicrosoftAppId or pass --app-id", file=sys.stderr)
        return 2
    try:
        out = build_package(Path(args.out), app_id=app_id, version=args.version)
    except ValueError as exc:  # an app id that is not a GUID, a bad version
        print(f"calma: {exc}", file=sys.stderr)
        return 2
    print(out)
    return 0
