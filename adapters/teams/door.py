"""The Teams door: botbuilder's CloudAdapter at POST /api/messages, and reminders in 1:1 chats.

Credentials come from MicrosoftAppId / MicrosoftAppPassword / MicrosoftAppTenantId /
MicrosoftAppType. With no MicrosoftAppId authentication is off (as with the Bot Framework
Emulator) and a warning says so; with it on, a missing or malformed bearer token gets 401.
Every botbuilder import stays inside adapters/teams/.
"""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace
from typing import Any

from aiohttp import web
from azure.core.exceptions import DeserializationError
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from adapters.door import Door, DoorFactory
from adapters.http_lane import Lane
from adapters.teams import activity as act
from adapters.teams import sends
from adapters.teams.activity import (
    MalformedActivity,
    body_problem,
    service_url_problem,
    shape_problem,
    text_of,
)
from adapters.teams.auth import MESSAGES_PATH, StrictAuthentication, bearer_guard
from adapters.teams.credentials import check_credentials
from adapters.teams.refs import Chats
from adapters.teams.retry import Backoff
from adapters.teams.sender import Sender
from adapters.teams.translate import replay_keys, translate
from adapters.teams.turn import Turn
from bot.config import Settings
from bot.errors import StoreError
from bot.inbox import InboxItem
from bot.model import DirectMessage, Platform
from bot.outbox import OutboxItem
from bot.service import CoachService

log = logging.getLogger(__name__)

STOP_GRACE = 5.0  # seconds the sends still queued at stop get before they are cancelled
# Activities a turn acts on: kept in the durable inbox before the answer, handled after it.
KEPT_TYPES = frozenset({"message", "messageUpdate", "conversationUpdate", "installationUpdate"})


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
        self.stop_grace = stop_grace
        service.inbox.register("teams", self._from_inbox)
        service.outbox.register("teams", self._from_outbox)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(MESSAGES_PATH, self.messages)

    def lanes(self) -> dict[str, Lane]:
        """None: activities go through botbuilder's aiohttp route."""
        return {}

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
        bot: Keep | Turn = (
            Keep(self, raw)
            if raw.get("type") in KEPT_TYPES
            else Turn(self.service, self.sender, self._post_sends, raw)
        )
        try:  # botbuilder verifies the bearer, then runs the bot's turn
            response = await self.sender.adapter.process(request, bot)
        except (MalformedActivity, DeserializationError) as error:
            return bad_request(str(error).splitlines()[0][:200])
        return response or web.Response(status=201)

    async def keep(self, raw: dict[str, Any]) -> None:
        """Durable before acknowledged: the activity into the inbox, handled after the answer
        (a redelivery, on any instance, is answered and dropped). When the database refuses, or
        the activity has no id, it is handled from memory (a crash then can lose it)."""
        key = act.text_of(raw.get("id"))
        body = json.dumps(raw, ensure_ascii=False)
        if key is not None:
            try:
                await self.service.inbox.accept("teams", key, body)
                return
            except StoreError as exc:
                log.error("teams: activity not kept in the inbox (%s); handled from memory", exc)
        self.service.inbox.spawn(self._turn(raw), f"teams:{key}")

    async def _from_inbox(self, item: InboxItem) -> None:
        """Run the turn of a kept activity; a replay first forgets its seen mark."""
        raw = json.loads(item.body)
        if item.attempts > 1 and (keys := replay_keys(raw)):
            await self.service.call(self.service.forget_events, "teams", keys)
        await self._turn(raw)

    async def _turn(self, raw: dict[str, Any]) -> None:
        """The turn, on a context of its own (every send is proactive: no HTTP request needed)."""
        context = TurnContext(self.sender.adapter, Activity().deserialize(raw))
        await Turn(self.service, self.sender, self._post_sends, raw).on_turn(context)

    async def _post_sends(self, tenant: str, later: list[sends.Send]) -> None:
        """A turn's sends: one durable outbox row, sent at once (by another instance if this
        one dies first)."""
        await self.service.outbox.post("teams", tenant, sends.KIND, sends.dumps(later))

    async def _from_outbox(self, item: OutboxItem) -> None:
        if item.kind != sends.KIND:
            raise ValueError(f"unknown Teams send {item.kind!r}")
        await sends.perform(self.sender, sends.loads(item.payload))

    async def deliver(self, message: DirectMessage) -> None:
        """A reminder (or a lead alert) in the user's 1:1 chat; raises so it is retried later."""
        await self.sender.to_user(message.workspace, message.user, [message.card])

    async def start(self) -> None:
        """Nothing runs beside the server (the runtime prunes old activity ids for every door)."""
        log.info("Teams door ready at %s", MESSAGES_PATH)

    async def stop(self) -> None:
        """Let sends in flight finish (for `stop_grace` seconds), then cancel what is left: their
        rows stay in the outbox, sent by the next sweep of any instance."""
        await self.service.outbox.drain(self.stop_grace, cancel=True)


class Keep:
    """The bot botbuilder runs once it has verified the bearer: check the activity (400 when it
    cannot be answered), then keep it in the inbox."""

    def __init__(self, door: TeamsDoor, raw: dict[str, Any]) -> None:
        self.door, self.raw = door, raw

    async def on_turn(self, _context: TurnContext) -> None:
        act.require_fields(self.raw)
        translate(self.raw)  # raises MalformedActivity for a field it cannot read
        await self.door.keep(self.raw)


def teams_door(*, backoff: Backoff | None = None, stop_grace: float = STOP_GRACE) -> DoorFactory:
    """The factory `Runtime.open` takes."""

    def factory(service: CoachService, settings: Settings) -> Door:
        check_credentials(settings)  # before botbuilder is given them
        return TeamsDoor(service, settings, backoff=backoff, stop_grace=stop_grace)

    return factory
