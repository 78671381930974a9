"""The Slack door: Bolt's AsyncApp at POST /slack/events (HTTP) or over Socket Mode, and reminders
delivered as DMs. `slack_door(http)` is the factory `calma slack` and `calma serve` open."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import orjson
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import extract_team_id, extract_user_id
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.door import Door, DoorFactory
from adapters.http_lane import Lane, LaneAnswer, LaneRequest
from adapters.slack.app import INBOX_KEY, Listeners, build_app
from adapters.slack.client import api_url, web_client
from adapters.slack.errors import reason
from adapters.slack.guard import (
    Refused,
    Replays,
    check_shape,
    parse,
    replay_key,
    signature_problem,
)
from adapters.slack.home import publish_home
from adapters.slack.oauth import (
    INSTALL_PATH,
    REDIRECT_PATH,
    Installations,
    oauth_enabled,
    oauth_flow,
)
from adapters.slack.redact import guard_logs
from adapters.slack.sender import Sender
from adapters.slack.uninstall import NotInstalled, Uninstalls
from adapters.slack.users import UserDirectory
from adapters.slack.webapi import WebApi, WebApiError
from bot.config import ConfigError, Settings
from bot.errors import StoreError
from bot.inbox import InboxItem
from bot.model import DirectMessage, Platform
from bot.outbox import OutboxItem
from bot.service import CoachService

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
EPHEMERAL = "chat.postEphemeral"


def check_settings(settings: Settings, *, http: bool) -> str:
    """The Web API base URL, once the settings this mode needs are known to be there."""
    if not settings.slack_bot_token and not oauth_enabled(settings):
        raise ConfigError(
            "SLACK_BOT_TOKEN (xoxb-…) is not set; or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"
            " for a multi-workspace install"
        )
    if settings.slack_bot_token and not settings.slack_bot_token.startswith(_BOT_TOKENS):
        raise ConfigError(
            "SLACK_BOT_TOKEN must be the app's bot token (xoxb-…, OAuth & Permissions), not"
            f" {_token_kind(settings.slack_bot_token)}"
        )
    if http and not settings.slack_signing_secret:
        raise ConfigError("HTTP mode needs SLACK_SIGNING_SECRET (Basic Information in the app)")
    if not http and not settings.slack_app_token:
        raise ConfigError("Socket Mode needs SLACK_APP_TOKEN (xapp-…); or use --http")
    if not http and not str(settings.slack_app_token).startswith("xapp-"):
        raise ConfigError(
            "SLACK_APP_TOKEN must be an app-level token (xapp-…, Basic Information), not"
            f" {_token_kind(str(settings.slack_app_token))}"
        )
    try:
        return api_url(settings.slack_api_url)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


# A bot token, as Slack issues it (xoxe.xoxb-: one that token rotation refreshes).
_BOT_TOKENS = ("xoxb-", "xoxe.xoxb-")
_KINDS = {"xapp-": "an app-level token", "xoxp-": "a user token", "xoxe-": "a refresh token"}


def _token_kind(token: str) -> str:
    """What a misplaced token is, by its prefix: never the token itself, which is a secret."""
    return next((kind for prefix, kind in _KINDS.items() if token.startswith(prefix)), "that")


class SlackDoor:
    """Events in, replies and reminders out. Build it inside the running loop."""

    platform: Platform = "slack"

    def __init__(self, service: CoachService, settings: Settings, *, http: bool) -> None:
        self.base_url = check_settings(settings, http=http)
        self.service, self.settings, self.http = service, settings, http
        self.session = aiohttp.ClientSession()
        oauth = oauth_enabled(settings)
        self.client = web_client(
            None if oauth else settings.slack_bot_token, self.base_url, self.session
        )
        self.webapi = WebApi(self.base_url)
        self.users = UserDirectory(webapi=self.webapi)
        self.sender = Sender(self._publish_home, self._queue_ephemeral)
        service.outbox.register("slack", self._from_outbox)
        self.installations: Installations | None = None
        self._oauth_setup: Callable[[], Awaitable[None]] | None = None
        flow = None
        if oauth:
            flow, self.installations, self._oauth_setup = oauth_flow(
                settings, self.client, self._installed
            )
        uninstalls = Uninstalls(service, self.installations)
        self.listeners = Listeners(service, self.sender, self.users, uninstalls)
        secret = settings.slack_signing_secret if http else None
        self.app: AsyncApp = build_app(
            self.listeners, self.client, signing_secret=secret, oauth_flow=flow
        )
        # Events are verified and stored before the 200, then dispatched from the inbox here
        # (at once, or replayed after a crash, when the signature's timestamp has expired).
        self.inbox_app: AsyncApp = build_app(
            self.listeners,
            self.client,
            signing_secret=None,
            oauth_flow=flow,
            process_before_response=True,
        )
        service.inbox.register("slack", self._from_inbox)
        if self.installations is not None:
            self.app.middleware(self._learn_enterprise)
            self.inbox_app.middleware(self._learn_enterprise)
        self.socket: AsyncSocketModeHandler | None = None
        self.replays = Replays()
        self._me: AuthorizeResult | None = None  # auth.test, once: the bot's own ids
        self._me_lock = asyncio.Lock()
        guard_logs(
            (
                settings.slack_bot_token or "",
                settings.slack_signing_secret or "",
                settings.slack_app_token or "",
                settings.slack_client_secret or "",
            )
        )

    # ---- Door ----

    def lanes(self) -> dict[str, Lane]:
        """`/slack/events` on the lean HTTP lane (in HTTP mode): events without aiohttp's
        per-request machinery; everything else there still goes to `add_routes`' route."""
        return {EVENTS_PATH: self._lane_events} if self.http else {}

    def add_routes(self, app: web.Application) -> None:
        """POST /slack/events in HTTP mode; the install pages whenever OAuth is configured."""
        if self.http:
            app.router.add_post(EVENTS_PATH, self._events)
        if self.installations is not None:
            app.router.add_get(INSTALL_PATH, self._install)
            app.router.add_get(REDIRECT_PATH, self._oauth_redirect)

    async def deliver(self, message: DirectMessage) -> None:
        """A reminder (or a lead alert) as a DM; raises so the reminder is retried."""
        client = await self.client_for(message.workspace)
        await self.sender.direct(client, message)

    async def start(self) -> None:
        """Make the OAuth tables if needed; connect over Socket Mode unless serving HTTP."""
        if self._oauth_setup is not None:
            await self._oauth_setup()
        if not self.http:
            self.socket = InboxSocketModeHandler(
                self.app, self.settings.slack_app_token, web_client=self.client
            )
            self.socket.keep = self._keep_socket_event
            await self.socket.connect_async()  # type: ignore[no-untyped-call]
            log.info("slack: connected over Socket Mode")

    async def health(self) -> dict[str, bool]:
        """Ready to take Slack's requests: HTTP mode is (Slack comes to us); Socket Mode when
        its websocket is connected."""
        if self.http:
            return {"connected": True}
        client = self.socket.client if self.socket is not None else None
        connected = client is not None and bool(await client.is_connected())
        return {"connected": connected}

    async def stop(self) -> None:
        """Close the Socket Mode connection and the HTTP session."""
        if self.socket is not None:
            await self.socket.close_async()  # type: ignore[no-untyped-call]
            self.socket = None
        self.webapi.close()
        await self.session.close()

    # ---- helpers ----

    async def client_for(self, workspace: str) -> AsyncWebClient:
        """The bot's client for a workspace (its installation's token under OAuth)."""
        if self.installations is None:
            return self.client
        bot = await self.installations.async_find_bot_of(workspace)
        if bot is None or not bot.bot_token:
            raise NotInstalled(workspace)
        return web_client(bot.bot_token, self.base_url, self.session)

    async def _keep_event(
        self, raw: bytes, event_id: str, parsed: dict[str, Any] | None = None
    ) -> None:
        """A signed event into the inbox, before its 200 (a redelivery, on any instance: 200 only).

        When the database refuses it, the event is handled from memory as before the inbox (the
        agent is told, promises wait in the write-back queue): a crash then can lose it."""
        body = raw.decode("utf-8")
        try:
            await self.service.inbox.accept("slack", event_id, body, parsed)
        except StoreError as exc:
            log.error(
                "slack: event %s not kept in the inbox (%s); handled from memory", event_id, exc
            )
            self.service.inbox.spawn(self._from_memory(body, event_id), f"slack:{event_id}")

    async def _keep_socket_event(self, payload: dict[str, Any], event_id: str) -> None:
        """A Socket Mode event: into the inbox before its ack (as `_keep_event` over HTTP)."""
        body = json.dumps(payload)
        try:
            await self.service.inbox.accept("slack", event_id, body)
        except StoreError as exc:
            log.error(
                "slack: event %s not kept in the inbox (%s); handled from memory", event_id, exc
            )
            self.service.inbox.spawn(self._from_memory(body, event_id), f"slack:{event_id}")

    async def _from_memory(self, body: str, event_id: str) -> None:
        """An event the inbox could not keep: its id recorded there if the database takes it now
        (a delivery of it that the inbox stores later, or did meanwhile, is then the one that
        acts), else handled with the service's own seen mark, as before the inbox."""
        try:
            if not await self.service.inbox.remember("slack", event_id):
                return  # another delivery of it is in the inbox: handled from there
        except StoreError as exc:
            log.error("slack: event %s not remembered either (%s)", event_id, exc)
        await self._dispatch(body)

    async def _from_inbox(self, item: InboxItem) -> None:
        """Handle a stored event through Bolt's listeners; a replay forgets its seen marks."""
        if item.attempts > 1:
            keys = [item.key, f"mention:{item.key}"]
            await self.service.call(self.service.forget_events, "slack", keys)
        await self._dispatch(item.body, item.parsed, inbox_key=item.key)

    async def _dispatch(
        self, body: str, parsed: dict[str, Any] | None = None, *, inbox_key: str | None = None
    ) -> None:
        """`inbox_key`: the event came from the inbox under this key (its event id), which the
        inbox lets through once."""
        if self.installations is None:
            # stored only once signed, shaped and parsed: parsed again only on a replay
            data = parsed if parsed is not None else json.loads(body)
            if _is_message_event(data):
                me = await self._identity()
                if me is not None:  # a plain message: straight to its listener
                    await self._on_message(data, me, inbox_key)
                    return
        request = AsyncBoltRequest(body=body, headers={"content-type": "application/json"})
        response = await self.inbox_app.async_dispatch(request)
        if response.status >= 500:
            raise RuntimeError(f"Bolt answered {response.status}")

    async def _on_message(
        self, body: dict[str, Any], me: AuthorizeResult, inbox_key: str | None = None
    ) -> None:
        """A `message` event without Bolt's middleware chain (most of the door's events): what
        the chain would do for it here is drop the bot's own lines and name the team and the
        bot; the signature was checked and the event stored before the 200. A listener that
        fails raises, so the inbox tries the event again, as with Bolt's 500."""
        user, bot = extract_user_id(body), body["event"].get("bot_id")
        if (user is not None and user == me.bot_user_id) or (bot is not None and bot == me.bot_id):
            return  # the bot's own line (Bolt's IgnoringSelfEvents)
        context = AsyncBoltContext(
            team_id=extract_team_id(body),
            user_id=user,
            bot_user_id=me.bot_user_id,
            bot_id=me.bot_id,
            client=self.client,
        )
        if inbox_key is not None:
            context[INBOX_KEY] = inbox_key
        await self.listeners.on_message(body, context, self.client)

    async def _identity(self) -> AuthorizeResult | None:
        """The bot's ids from auth.test, asked once (as Bolt's single-workspace authorization
        does); None while Slack cannot say (Bolt's own path then answers for the event)."""
        if self._me is not None:
            return self._me
        async with self._me_lock:
            if self._me is None:
                try:
                    answer = await self.client.auth_test()
                except Exception as exc:
                    log.warning("slack: auth.test failed: %s", reason(exc))
                    return None
                self._me = AuthorizeResult.from_auth_test_response(
                    auth_test_response=answer, bot_token=self.client.token
                )
        return self._me

    async def _queue_ephemeral(
        self, _client: AsyncWebClient, workspace: str, payload: dict[str, Any]
    ) -> None:
        """Ephemerals go out after the answer: from the durable outbox."""
        await self.service.outbox.post("slack", workspace, EPHEMERAL, _json_text(payload))

    async def _from_outbox(self, item: OutboxItem) -> None:
        if item.kind != EPHEMERAL:
            raise ValueError(f"unknown Slack send {item.kind!r}")
        client = await self.client_for(item.workspace)
        try:
            await self.webapi.post_json(client.token, EPHEMERAL, _without_nulls(item.payload))
        except WebApiError as exc:
            log.warning("slack: PrivateNudge or notice not sent: %s", reason(exc))
            if exc.status == 429 or exc.status >= 500:
                raise  # Slack may take it later: the outbox tries again
            # Slack refused it for good (channel_not_found, user_not_in_channel…): drop it.

    async def _learn_enterprise(
        self, context: AsyncBoltContext, next: Callable[[], Awaitable[None]]
    ) -> None:
        """Remember which Grid a workspace is in, for its reminders (an org-wide install is kept
        under the enterprise id alone)."""
        if self.installations is not None and context.enterprise_id and context.team_id:
            self.installations.remember_enterprise(context.team_id, context.enterprise_id)
        await next()

    async def _events(self, request: web.Request) -> web.StreamResponse:
        """Signature on the raw bytes, then the shape; an event goes to the inbox (which drops a
        replay by its event id), anything else past the replay check to Bolt."""
        raw = await request.read()
        signature = request.headers.get("X-Slack-Signature")
        answer = await self._checked_event(
            raw,
            request.content_type,
            request.headers.get("X-Slack-Request-Timestamp"),
            signature,
        )
        if isinstance(answer, LaneAnswer):
            kind = {"Content-Type": answer.content_type} if answer.content_type else None
            return web.Response(status=answer.status, body=answer.body, headers=kind)
        assert signature is not None  # checked: not an event callback, but signed
        stamp = int(request.headers["X-Slack-Request-Timestamp"])  # checked with the signature
        if not self.replays.first_time(replay_key(answer, signature, request.headers), stamp):
            log.warning("slack: ignored a replayed request (its signature was already used)")
            return web.Response(status=200)
        response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def _lane_events(self, request: LaneRequest) -> LaneAnswer | None:
        """`/slack/events` on the lean HTTP lane: a JSON body answered as `_events` would; None
        (aiohttp's route then) for what Bolt must see (commands, interactions, url_verification)."""
        content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if content_type != "application/json":
            return None
        answer = await self._checked_event(
            request.body,
            content_type,
            request.headers.get("x-slack-request-timestamp"),
            request.headers.get("x-slack-signature"),
        )
        return answer if isinstance(answer, LaneAnswer) else None

    async def _checked_event(
        self, raw: bytes, content_type: str, timestamp: str | None, signature: str | None
    ) -> LaneAnswer | dict[str, Any]:
        """The answer to a request refused, or to an event kept in the inbox; for a signed,
        well-formed request that is not an event callback, its parsed body (Bolt's, past the
        replay check)."""
        problem = signature_problem(
            self.settings.slack_signing_secret or "", raw, timestamp, signature, time.time()
        )
        if problem is not None:
            log.warning("slack: refused an unsigned request (%s)", problem)
            return _json_answer({"error": "invalid request"}, 401)
        try:
            body = parse(raw, content_type)
            check_shape(body)
        except Refused as refused:
            log.warning("slack: refused a signed request: %s", refused.reason)
            if refused.status == 200:
                return LaneAnswer(200)
            return _json_answer({"error": refused.reason}, refused.status)
        event_id = _event_callback_id(raw, body)
        if event_id is None:
            return body
        # Durable before acknowledged: the inbox, then 200. A replayed event is dropped by its
        # event id (the inbox keeps the keys for days, on every instance), so its signature is
        # not kept: at 1,000 events/s the signatures of the 300-s window were some 13 MB.
        await self._keep_event(raw, event_id, body)
        return LaneAnswer(200)

    async def _install(self, request: web.Request) -> web.StreamResponse:
        flow = self.app.oauth_flow
        assert flow is not None
        return await to_aiohttp_response(
            await flow.handle_installation(await to_bolt_request(request))
        )

    async def _oauth_redirect(self, request: web.Request) -> web.StreamResponse:
        flow = self.app.oauth_flow
        assert flow is not None
        return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

    async def _publish_home(self, client: AsyncWebClient, workspace: str, user: str) -> None:
        await publish_home(client, self.service, workspace, user)

    def _installed(self, workspace: str, installer: str) -> None:
        self.service.on_install("slack", workspace, installer)
        log.info("slack: installed in workspace %s", workspace)
        self._rearm(workspace)

    def _rearm(self, workspace: str) -> None:
        """Reminders kept pending while the app was uninstalled go out now, not at their backoff."""
        self.service.rearm_reminders("slack", workspace)


class InboxSocketModeHandler(AsyncSocketModeHandler):
    """Socket Mode whose Events API envelopes are acked only once `keep` has stored them in the
    inbox (commands and interactions still go through Bolt, which acks them first)."""

    keep: Callable[[dict[str, Any], str], Awaitable[None]] | None = None

    async def handle(self, client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:
        event_id = _callback_id(req.payload) if req.type == "events_api" else None
        if event_id is None or self.keep is None:
            await super().handle(client, req)  # type: ignore[arg-type]
            return
        await self.keep(req.payload, event_id)
        await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))


def _json_text(payload: dict[str, Any]) -> str:
    """The send's JSON, with orjson (several times quicker); the standard library's for what
    orjson refuses (a lone surrogate, an integer past 64 bits)."""
    try:
        return orjson.dumps(payload).decode()
    except orjson.JSONEncodeError:
        return json.dumps(payload)


def _json_answer(data: dict[str, Any], status: int) -> LaneAnswer:
    """A JSON answer, as aiohttp's `json_response` writes it."""
    return LaneAnswer(status, json.dumps(data).encode(), "application/json; charset=utf-8")


def _without_nulls(payload: str) -> str:
    """A queued send's JSON without its null arguments (as slack_sdk's calls leave them out)."""
    if "null" not in payload:
        return payload
    data = orjson.loads(payload)
    return orjson.dumps({k: v for k, v in data.items() if v is not None}).decode()


def _event_callback_id(raw: bytes, body: dict[str, Any]) -> str | None:
    """The event id of an Events API `event_callback` (a JSON body); None for anything else."""
    if not raw.lstrip().startswith(b"{"):
        return None
    return _callback_id(body)


def _callback_id(body: object) -> str | None:
    """The event id of a parsed `event_callback` body; None for anything else."""
    if not isinstance(body, dict) or body.get("type") != "event_callback":
        return None
    event_id = body.get("event_id")
    return event_id if isinstance(event_id, str) and event_id else None


def _is_message_event(body: dict[str, Any]) -> bool:
    """An Events API `message` event (any subtype): the listener `app.event("message")` takes."""
    event = body.get("event")
    return (
        body.get("type") == "event_callback"
        and isinstance(event, dict)
        and event.get("type") == "message"
    )


def slack_door(http: bool) -> DoorFactory:
    """The factory for `Runtime.open`: Socket Mode, or HTTP when `http`."""

    def factory(service: CoachService, settings: Settings) -> Door:
        return SlackDoor(service, settings, http=http)

    return factory
