"""The Teams door: botbuilder's CloudAdapter at POST /api/messages, and reminders in 1:1 chats.

Credentials come from MicrosoftAppId / MicrosoftAppPassword / MicrosoftAppTenantId /
MicrosoftAppType. With no MicrosoftAppId authentication is off (as with the Bot Framework
Emulator) and a warning says so; with it on, a missing or malformed bearer token gets 401.
Every botbuilder import stays inside adapters/teams/.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

from aiohttp import web
from azure.core.exceptions import DeserializationError
from botbuilder.integration.aiohttp import CloudAdapter

from adapters.door import Door, DoorFactory
from adapters.teams.activity import (
    MalformedActivity,
    body_problem,
    service_url_problem,
    shape_problem,
    text_of,
)
from adapters.teams.auth import MESSAGES_PATH, StrictAuthentication, bearer_guard
from adapters.teams.outbox import Outbox
from adapters.teams.refs import Chats
from adapters.teams.retry import Backoff
from adapters.teams.sender import Sender
from adapters.teams.turn import Turn
from bot.config import Settings
from bot.model import DirectMessage, Platform
from bot.service import CoachService

log = logging.getLogger(__name__)

STOP_GRACE = 5.0  # seconds the sends still queued at stop get before they are cancelled


def bad_request(reason: str) -> web.Response:
    """A JSON 400 that says what was wrong (never echoing the body)."""
    return web.json_response({"error": "bad_request", "message": reason}, status=400)


def adapter_for(settings: Settings) -> CloudAdapter:
    """botbuilder's adapter with the bot's credentials (empty app id: auth off)."""
    config = SimpleNamespace(
        APP_ID=settings.ms_app_id or "",
        APP_PASSWORD=settings.ms_app_password or "",
        APP_TYPE=settings.ms_app_type or "MultiTenant",
        APP_TENANTID=settings.ms_app_tenant_id or "",
    )
    return CloudAdapter(StrictAuthentication(config))


class TeamsDoor:
    """Inbound activities at /api/messages; outbound direct messages through the Bot Connector."""

    platform: Platform = "teams"

    def __init__(
        self,
        service: CoachService,
        settings: Settings,
        *,
        backoff: Backoff | None = None,
        stop_grace: float = STOP_GRACE,
    ) -> None:
        self.service = service
        app_id = settings.ms_app_id or ""
        self.guard = bearer_guard(app_id)
        self.sender = Sender(
            adapter_for(settings), app_id, Chats(service.conversation_refs), backoff or Backoff()
        )
        self.outbox = Outbox()
        self.stop_grace = stop_grace

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(MESSAGES_PATH, self.messages)

    async def messages(self, request: web.Request) -> web.StreamResponse:
        """POST /api/messages: the bearer guard, then the activity."""
        return await self.guard(request, self._activity)

    async def _activity(self, request: web.Request) -> web.StreamResponse:
        if request.content_type != "application/json":
            return web.json_response(
                {"error": "unsupported_media_type", "message": "send application/json"},
                status=415,
            )
        try:
            raw: Any = await request.json()
        except (ValueError, RecursionError):
            return bad_request("body is not JSON")
        if problem := body_problem(raw):
            return bad_request(problem)
        if text_of(raw.get("type")) is None:
            return bad_request("activity without type")
        if problem := service_url_problem(raw.get("serviceUrl")) or shape_problem(raw):
            return bad_request(problem)
        try:
            response = await self.sender.adapter.process(
                request, Turn(self.service, self.sender, self.outbox, raw)
            )
        except (MalformedActivity, DeserializationError) as error:
            return bad_request(str(error).splitlines()[0][:200])
        return response or web.Response(status=201)

    async def deliver(self, message: DirectMessage) -> None:
        """A reminder (or a lead alert) in the user's 1:1 chat; raises so it is retried later."""
        await self.sender.to_user(message.workspace, message.user, [message.card])

    async def start(self) -> None:
        """Nothing runs beside the server (the runtime prunes old activity ids for every door)."""
        log.info("Teams door ready at %s", MESSAGES_PATH)

    async def stop(self) -> None:
        """Let queued sends finish (for `stop_grace` seconds), then cancel what is left."""
        await self.outbox.close(self.stop_grace)


def teams_door(*, backoff: Backoff | None = None, stop_grace: float = STOP_GRACE) -> DoorFactory:
    """The factory `Runtime.open` takes."""

    def factory(service: CoachService, settings: Settings) -> Door:
        return TeamsDoor(service, settings, backoff=backoff, stop_grace=stop_grace)

    return factory
