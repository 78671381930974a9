"""What every door is to the runtime: a way in (routes, a chat) and a way out (direct messages)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from aiohttp import web

from adapters.http_lane import Lane
from bot.config import Settings
from bot.model import DirectMessage, Platform
from bot.service import CoachService


class Door(Protocol):
    """A platform's way in (routes) and way out (direct messages)."""

    platform: Platform

    def add_routes(self, app: web.Application) -> None:
        """Register the door's HTTP endpoints (none for Socket Mode or the console)."""
        ...

    def lanes(self) -> Mapping[str, Lane]:
        """Endpoints answered on the lean HTTP lane (`adapters/http_lane.py`) in front of the
        routes, by path (most doors have none)."""
        ...

    async def deliver(self, message: DirectMessage) -> None:
        """Send a direct message on this platform; raise so the reminder is retried."""
        ...

    async def start(self) -> None:
        """Start anything that runs beside the HTTP server (e.g. a Socket Mode client)."""
        ...

    async def stop(self) -> None:
        """Stop what `start` started."""
        ...


DoorFactory = Callable[[CoachService, Settings], Door]
