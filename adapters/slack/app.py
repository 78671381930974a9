"""The Bolt AsyncApp and its listeners: translate, ask the service, send what it answers.

Every command, shortcut and button is acked first; the work follows the ack. The draft modal's
submission is the one exception: its result is the ack (`response_action: update`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import ids
from adapters.slack.ask import answer_modal, command_origin, form_in, metadata, submitted_answer
from adapters.slack.home import publish_home
from adapters.slack.modal import check_result, draft_modal, note_card
from adapters.slack.origin import Origin, interaction_origin
from adapters.slack.sender import Sender, Where
from adapters.slack.translate import (
    app_mention_to_command,
    block_action_to_action,
    direct_message_to_command,
    home_opened_user,
    is_own_message,
    message_event_to_incoming,
    shortcut_to_check,
    slash_command_to_command,
    view_submission_to_check,
)
from adapters.slack.uninstall import Uninstalls
from adapters.slack.users import UserDirectory
from bot import actions
from bot.model import Command, Post, PrivateNotice, Reply, UpdateOriginal
from bot.service import CoachService, DoorTexts

log = logging.getLogger(__name__)

Body = dict[str, Any]
# In a listener's context: the inbox key the event was handled under (the door's own dispatch of
# a message from the inbox sets it; Bolt's path does not)
INBOX_KEY = "calma_inbox_key"
ACTION_IDS = re.compile("^(" + "|".join(map(re.escape, sorted(actions.ALL))) + r")(~\d+)?$")


class Listeners:
    """The door's handlers; `keys` names each registered one (`event:message`, `command:/coach`)."""

    def __init__(
        self,
        service: CoachService,
        sender: Sender,
        users: UserDirectory,
        uninstalls: Uninstalls | None = None,
    ) -> None:
        self.service = service
        self.sender = sender
        self.users = users
        self.uninstalls = uninstalls or Uninstalls(service, None)
        self.keys: set[str] = set()

    def register(self, app: AsyncApp) -> None:
        """Attach every listener to `app` and record its key."""
        for name, handler in (
            ("message", self.on_message),
            ("app_mention", self.on_mention),
            ("app_home_opened", self.on_home_opened),
            ("app_uninstalled", self.uninstalls.on_app_uninstalled),
            ("tokens_revoked", self.uninstalls.on_tokens_revoked),
        ):
            app.event(name)(handler)
            self.keys.add(f"event:{name}")
        app.command(ids.COMMAND)(self.on_command)
        self.keys.add(f"command:{ids.COMMAND}")
        app.shortcut(ids.SHORTCUT_CHECK_MESSAGE)(self.on_message_shortcut)
        app.shortcut(ids.SHORTCUT_CHECK_DRAFT)(self.on_draft_shortcut)
        self.keys |= {
            f"shortcut:{ids.SHORTCUT_CHECK_MESSAGE}",
            f"shortcut:{ids.SHORTCUT_CHECK_DRAFT}",
        }
        app.view(ids.VIEW_DRAFT)(self.on_draft_submitted)
        self.keys.add(f"view:{ids.VIEW_DRAFT}")
        app.action(ids.ACTION_ASK_OPEN)(self.on_ask_open)
        app.view(ids.VIEW_ANSWER)(self.on_answer_submitted)
        self.keys |= {f"action:{ids.ACTION_ASK_OPEN}", f"view:{ids.VIEW_ANSWER}"}
        app.action(ACTION_IDS)(self.on_button)
        self.keys.add("action:calma")

    # ---- events (Bolt acks them before the listener runs) ----

    async def on_message(
        self, body: Body, context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        """A line in a watched channel: maybe a private nudge, a follow-up ack, an abuse note."""
        workspace = str(body.get("team_id") or context.team_id or "")
        direct = direct_message_to_command(body, bot_user_id=context.bot_user_id)
        if direct is not None:  # a line typed to Coach in its DM: a command or an answer
            cmd = await self._with_user(client, replace(direct, workspace=workspace))
            replies = await self.service.call(self.service.on_command, cmd)
            await self.sender.send(client, replies, Where(workspace, cmd.author))
            return
        msg = message_event_to_incoming(
            body, customers=set(), bot_user_id=context.bot_user_id, workspace_team=workspace
        )
        if msg is None:
            return
        changes: dict[str, Any] = {}  # one copy of the message (a frozen copy costs µs)
        if context.get(INBOX_KEY) == msg.event_id:  # not an edit: its id is made of its ts
            changes["deduplicated"] = True
        if not msg.is_customer:
            user = await self.users.get(client, workspace, msg.author)
            if user is not None:
                changes.update(author_tz=user.tz, locale=user.locale)
        if changes:
            msg = replace(msg, **changes)
        replies = await self.service.call(self.service.on_message, msg)
        await self.sender.send(client, replies, Where(workspace, msg.author))

    async def on_mention(
        self, body: Body, context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        """`@Coach consejos`: answered in the mention's thread, once even if Slack retries."""
        cmd = app_mention_to_command(body, bot_user_id=context.bot_user_id)
        if cmd is None:
            return
        cmd = await self._with_user(client, cmd)  # the service answers a retry with nothing
        replies = _tips_in_thread(cmd, await self.service.call(self.service.on_command, cmd))
        await self.sender.send(client, replies, Where(cmd.workspace, cmd.author))

    async def on_home_opened(self, body: Body, client: AsyncWebClient) -> None:
        """The Home tab: pending follow-ups, this week's own nudges, the tips."""
        opened = home_opened_user(body)
        if opened is None:
            return
        try:
            await publish_home(client, self.service, *opened)
        except Exception as exc:
            log.warning("slack: Home tab not published: %s", type(exc).__name__)

    # ---- commands, shortcuts, buttons (acked first) ----

    async def on_command(self, ack: AsyncAck, body: Body, client: AsyncWebClient) -> None:
        """`/coach …`: private answers over the command's response_url."""
        await ack()
        cmd = await self._with_user(client, slash_command_to_command(body))
        replies = await self.service.call(self.service.on_command, cmd)
        response_url = body.get("response_url")
        texts = self.service.texts("slack", cmd.workspace, cmd.author, locale=cmd.locale)
        await self._open_form(client, body, replies, command_origin(response_url), texts)
        where = Where(cmd.workspace, cmd.author, response_url=response_url)
        await self.sender.send(client, replies, where)

    async def on_message_shortcut(self, ack: AsyncAck, body: Body, client: AsyncWebClient) -> None:
        """ "Revisar con Coach" on one's own message: the findings in a modal."""
        await ack()
        cmd = shortcut_to_check(body)
        texts = self._texts(body)
        if not is_own_message(body) or cmd is None:
            result = note_card(texts.not_own_message())
            draft = ""
        else:
            result = check_result(await self.service.call(self.service.on_command, cmd), texts)
            draft = cmd.text.removeprefix(ids.CHECK_KEYWORD).strip()
        view = draft_modal(texts, draft=draft, result=result)
        await self._open(client, body, view)

    async def on_draft_shortcut(self, ack: AsyncAck, body: Body, client: AsyncWebClient) -> None:
        """ "Revisar borrador": an empty draft modal."""
        await ack()
        await self._open(client, body, draft_modal(self._texts(body)))

    async def on_draft_submitted(self, ack: AsyncAck, body: Body) -> None:
        """The modal's draft, checked: the modal updates in place with the findings."""
        texts = self._texts(body)
        cmd = view_submission_to_check(body)
        if cmd is None:
            await ack(response_action="errors", errors={ids.BLOCK_DRAFT: texts.draft_empty()})
            return
        result = check_result(await self.service.call(self.service.on_command, cmd), texts)
        draft = cmd.text.removeprefix(ids.CHECK_KEYWORD).strip()
        await ack(response_action="update", view=draft_modal(texts, draft=draft, result=result))

    async def on_button(self, ack: AsyncAck, body: Body, client: AsyncWebClient) -> None:
        """A button on a nudge, an acknowledgement, a reminder DM or the Home tab."""
        await ack()
        action = block_action_to_action(body)
        if action is None:
            return
        replies = await self.service.call(self.service.on_action, action)
        if action.action == actions.OFFER_COPY:  # the follow-up draft opens in a modal to edit
            draft = next((r.card.quote for r in replies if isinstance(r, PrivateNotice)), None)
            if draft and "trigger_id" in body:
                await self._open(client, body, draft_modal(self._texts(body), draft=draft))
                return
        origin = interaction_origin(body)
        await self._open_form(client, body, replies, origin, self._texts(body))  # Cambiar hora
        where = Where(action.workspace, action.author, origin.response_url, origin)
        await self.sender.send(client, replies, where)

    async def on_ask_open(self, ack: AsyncAck, body: Body, client: AsyncWebClient) -> None:
        """The button under a question: its answer modal (or, the question gone, the card says
        so and loses the button)."""
        await ack()
        origin = interaction_origin(body)
        user = body.get("user") or {}
        workspace = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
        who = str(user.get("id") or "")
        ask = self.service.form_for("slack", workspace, who, locale=user.get("locale"))
        if ask is not None and origin.trigger_id:
            view = answer_modal(ask, self._texts(body).modal().close, metadata(origin))
            await self._open(client, body, view)
            return
        action = block_action_to_action(body, now=self.service.now())
        if action is not None:
            closed = self.service.on_answer(replace(action, action=actions.ANSWER, value=""))
            where = Where(workspace, who, origin.response_url, origin)
            await self.sender.send(client, closed.replies, where)

    async def on_answer_submitted(self, ack: AsyncAck, body: Body, client: AsyncWebClient) -> None:
        """The typed answer: an error on the field when it is not one (the modal stays), else the
        modal closes and the question's card becomes the answer."""
        submitted = submitted_answer(body, now=self.service.now())
        if submitted is None:
            await ack()
            return
        action, origin = submitted
        answered = self.service.on_answer(action)
        if answered.again is not None:
            await ack(response_action="errors", errors={ids.BLOCK_ANSWER: answered.again})
            return
        await ack()
        replies = answered.replies
        if not (origin.response_url or origin.message_ts or origin.container == "view"):
            replies = [_as_dm(r, action.workspace, action.author) for r in replies]  # card lost
        where = Where(action.workspace, action.author, origin.response_url, origin)
        await self.sender.send(client, replies, where)

    # ---- helpers ----

    async def _with_user(self, client: AsyncWebClient, cmd: Command) -> Command:
        """The command with the author's time zone, locale and admin flag from users.info."""
        user = await self.users.get(client, cmd.workspace, cmd.author)
        if user is None:
            return cmd
        return replace(cmd, author_tz=user.tz, locale=user.locale, is_admin=user.is_admin)

    def _texts(self, body: Body) -> DoorTexts:
        """The service's words for the user of an interaction payload (a modal's)."""
        user = body.get("user") or {}
        team = (body.get("team") or {}).get("id") or user.get("team_id") or ""
        return self.service.texts("slack", team, user.get("id", ""), locale=user.get("locale"))

    async def _open_form(
        self,
        client: AsyncWebClient,
        body: Body,
        replies: list[Reply],
        origin: Origin,
        texts: DoorTexts,
    ) -> None:
        """A reply that asks something opens its answer modal at once, while the trigger lasts."""
        ask = form_in(replies)
        if ask is None or "trigger_id" not in body:
            return
        view = answer_modal(ask, texts.modal().close, metadata(origin))
        await self._open(client, body, view)

    async def _open(self, client: AsyncWebClient, body: Body, view: dict[str, Any]) -> None:
        try:
            await client.views_open(trigger_id=body["trigger_id"], view=view)
        except Exception as exc:
            log.warning("slack: modal not opened: %s", type(exc).__name__)


def _as_dm(reply: Reply, workspace: str, user: str) -> Reply:
    """A card replacement with no card to replace (its whereabouts lost): to the DM instead."""
    if isinstance(reply, UpdateOriginal):
        return PrivateNotice("slack", workspace, user, None, None, reply.card)
    return reply


def _tips_in_thread(cmd: Command, replies: list[Reply]) -> list[Reply]:
    """`@Coach consejos` was asked in the open: what the service meant for the thread goes there."""
    return [
        Post(r.platform, r.workspace, r.channel, r.thread, r.card)
        if isinstance(r, PrivateNotice)
        and r.audience == "thread"
        and r.channel
        and r.user == cmd.author
        else r
        for r in replies
    ]


def build_app(
    listeners: Listeners,
    client: AsyncWebClient,
    *,
    signing_secret: str | None,
    oauth_flow: AsyncOAuthFlow | None = None,
    process_before_response: bool = False,
) -> AsyncApp:
    """The AsyncApp: signature checks when a signing secret is given (HTTP), every listener on.

    `process_before_response` runs the listeners before `async_dispatch` returns: the inbox's
    app, which answers no one and must know when an event has been handled."""
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=bool(signing_secret),
        oauth_flow=oauth_flow,
        process_before_response=process_before_response,
        raise_error_for_unhandled_request=True,
    )
    app.error(_on_error)
    listeners.register(app)
    return app


async def _on_error(error: Exception, body: Body) -> BoltResponse | None:
    """A request nobody handles gets a clear answer; a failed listener is logged (never raised)."""
    if isinstance(error, BoltUnhandledRequestError):
        return unhandled_response(body)
    log.error(
        "slack listener failed on %s: %s", body.get("type"), type(error).__name__, exc_info=error
    )
    return None


def unhandled_response(body: Body) -> BoltResponse:
    """200 for an event Calma does not listen to (Slack would retry anything else, and disables
    apps that fail too many events); 400 with the reason for any other unknown request."""
    kind = body.get("type")
    if kind == "event_callback":
        event = body.get("event")
        event_type = event.get("type") if isinstance(event, dict) else None
        log.info("slack: ignored an event of type %.40r", event_type)
        return BoltResponse(status=200, body="")
    log.warning("slack: unsupported request of type %.40r", kind)
    return BoltResponse(status=400, body={"error": f"unsupported Slack request type {kind!r:.40}"})
