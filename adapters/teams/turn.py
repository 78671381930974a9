"""One inbound activity: translate it, ask the service, and put each reply where it belongs.

Where replies go (Teams has no ephemeral messages):
- anything about one user (nudges, acknowledgements, notes, reminders) goes to that user's 1:1 chat
  with Coach, except that a command typed in the 1:1 chat is answered right there;
- a command typed in a channel is answered in its thread only when the answer says nothing about
  anyone's wording or figures (help, tips, steps, usage); otherwise the answer goes to the 1:1 chat
  and the thread gets a short "answered privately" line;
- a Post (a tip a lead chose to share) goes to the channel thread;
- an UpdateOriginal replaces the card whose button was pressed.

The turn runs after the HTTP answer, from the durable inbox (adapters/teams/door.py). It decides
and stores; its sends become data (adapters/teams/sends.py), kept as one row of the durable
outbox and made in the order the replies came, by this instance or, if it dies, by another.

A lead's `leads|clientes agregar|quitar @persona` whose mention carries only the "29:" id (Teams
rarely sends the aadObjectId there, while authors are keyed by it) is answered after a lookup: the
member's aadObjectId is asked of the Bot Connector first, then the service gets the command. If
that lookup fails the "29:" id is used, the failure logged, and the lead told; when that person
next writes (their activity carries both ids), what was stored under the "29:" id moves to the
aadObjectId.

People an answer names (bot.model.person) are shown by display name: from the activity's mentions,
else from the stored reference or seed of that person, else "alguien (id …f3f4)".
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import ConversationReference

from adapters.teams import activity as act
from adapters.teams import sends
from adapters.teams.people import named, people_of
from adapters.teams.refs import PLATFORM, Chats, seed
from adapters.teams.retry import status_of
from adapters.teams.sender import Sender
from adapters.teams.translate import (
    ConversationEvent,
    activity_event,
    mentioned_people,
    translate,
)
from bot.commands import Customers, Leads, parse
from bot.errors import StoreError
from bot.model import (
    Action,
    Card,
    Command,
    DirectMessage,
    IncomingMessage,
    Post,
    PrivateNotice,
    PrivateNudge,
    Reply,
    UpdateOriginal,
    person,
)
from bot.service import CoachService, DoorTexts

log = logging.getLogger(__name__)

MEMBER_ID_PREFIX = "29:"  # a Teams user's bot-scoped id; the Entra object id has no prefix

PostSends = Callable[[str, list[sends.Send]], Awaitable[None]]  # (tenant, sends): into the outbox


def to_look_up(cmd: Command) -> list[str]:
    """The "29:" id a `leads|clientes agregar|quitar` command names (Teams sent no aadObjectId)."""
    if not any(user.startswith(MEMBER_ID_PREFIX) for user in cmd.people):
        return []
    parsed = parse(cmd.text)
    if not isinstance(parsed, Leads | Customers) or parsed.user is None:
        return []
    return [parsed.user] if parsed.user.startswith(MEMBER_ID_PREFIX) else []


def renamed(cmd: Command, ids: Mapping[str, str]) -> Command:
    """The command with each person in `ids` named by the id it maps to."""
    text = cmd.text
    for old, new in ids.items():
        text = text.replace(person(old), person(new))
    return replace(cmd, text=text, people=tuple(ids.get(user, user) for user in cmd.people))


class Turn:
    """The bot for one activity; `raw` is its JSON as received (botbuilder's models drop fields)."""

    def __init__(
        self, service: CoachService, sender: Sender, post: PostSends, raw: Mapping[str, Any]
    ) -> None:
        self.service = service
        self.sender = sender
        self.post = post
        self.later: list[sends.Send] = []
        self.chats: Chats = sender.chats
        self.raw = raw
        self.tenant = act.tenant(raw)
        self.user = act.sender(raw)
        self.personal = act.conversation_type(raw) == "personal"
        self.event: object = None
        self.pointed = False
        self.deferred: Command | None = None  # answered after a member lookup
        # display names of the people this turn knows: its author, the people it mentions
        self.names: dict[str, str] = {self.user.key: self.user.name} if self.user.name else {}

    async def on_turn(self, context: TurnContext) -> None:
        """Handle the activity, then queue its sends; MalformedActivity escapes, errors are
        logged (a StoreError refusing the sends escapes: the inbox replays the activity)."""
        act.require_fields(self.raw)
        self.names = {m.user: m.name for m in mentioned_people(self.raw)} | self.names
        await self.service.call(self._decide, context)  # off the loop on a network database
        if self.deferred is not None:
            await self._answer_after_lookup(context, self.deferred)
        if self.later:
            await self.post(self.tenant, self.later)

    def _decide(self, context: TurnContext) -> None:
        """Translate, ask the service, and queue the sends (the service's calls, in one go)."""
        self._adopt_entra_id()
        self.event = translate(self.raw, customers=self.service.customers(PLATFORM, self.tenant))
        try:
            self._remember_user(context)
            self._dispatch(context, self.event)
            self._keep_zone()
        except StoreError as error:
            log.error("Teams activity %s not fully handled: %s", self.raw.get("type"), error)
        except Exception:
            log.exception("Teams activity %s not fully handled", self.raw.get("type"))

    async def _answer_after_lookup(self, context: TurnContext, cmd: Command) -> None:
        """Resolve the people the command names, then answer it."""
        try:
            cmd, unknown = await self._resolve(context, cmd)
            await self.service.call(self._command, context, cmd)
            for name in unknown:
                card = self._texts().lookup_failed(name)
                self._one(context, self._notice(cmd, card))
        except StoreError as error:
            log.error("Teams command naming someone not fully handled: %s", error)
        except Exception:
            log.exception("Teams command naming someone not fully handled")

    async def _resolve(self, context: TurnContext, cmd: Command) -> tuple[Command, list[str]]:
        """The command with each "29:" mention replaced by the member's aadObjectId, and the
        names whose lookup failed (those keep the "29:" id)."""
        ref = self._here(context)
        conversation = act.conversation_id(self.raw).split(";", 1)[0]
        found: dict[str, str] = {}
        unknown: list[str] = []
        for user in to_look_up(cmd):
            try:
                member = await self.sender.member(ref, conversation, user)
            except Exception as error:
                log.warning(
                    "member lookup for a mention failed (%s %s); keeping the Teams id",
                    type(error).__name__,
                    status_of(error) or "",
                )
                unknown.append(self.names.get(user, user))
                continue
            if aad := act.text_of(member.aad_object_id):
                found[user] = aad
                if user in self.names:
                    self.names[aad] = self.names[user]
            else:
                log.info("the Bot Connector knows no aadObjectId for a mention; keeping the id")
        return renamed(cmd, found), unknown

    def _adopt_entra_id(self) -> None:
        """Move a role or customer listing kept under the author's "29:" id (a member lookup
        failed when a lead named them) to the aadObjectId they are keyed by from now on."""
        old, new = self.user.id, self.user.aad_object_id
        if new and old.startswith(MEMBER_ID_PREFIX):
            self.service.rekey_person(PLATFORM, self.tenant, old, new)

    def _named(self, card: Card) -> Card:
        """The card with the people it names shown by their display names."""
        if not people_of(card):
            return card
        return named(card, self.names, self._texts().someone, self._known_name)

    def _known_name(self, user: str) -> str | None:
        """The display name kept with the user's 1:1 chat or seed, if any."""
        try:
            ref = self.chats.get(self.tenant, user)
        except StoreError as error:
            log.error("cannot read a Teams user's name: %s", error)
            return None
        return None if ref is None or ref.user is None else act.text_of(ref.user.name)

    def _notice(self, cmd: Command, card: Card) -> PrivateNotice:
        return PrivateNotice(cmd.platform, cmd.workspace, cmd.author, cmd.channel, cmd.thread, card)

    def _here(self, context: TurnContext) -> ConversationReference:
        """The turn's conversation; a reply to the inbound activity (its thread, in a channel)."""
        return TurnContext.get_conversation_reference(context.activity)

    def _reply(self, context: TurnContext, card: Card, what: str) -> None:
        self.later.append(sends.to_chat(what, self._here(context), self._named(card)))

    def _to_user(self, tenant: str, user: str, card: Card, what: str) -> None:
        self.later.append(sends.to_user(what, tenant, user, self._named(card)))

    def _remember_user(self, context: TurnContext) -> None:
        """Keep how to reach the author privately: the 1:1 chat itself, or a seed for one."""
        if not self.user.id or self.user.id == act.bot_id(self.raw):
            return
        if self.personal and self.raw.get("type") in ("message", "conversationUpdate"):
            try:
                ref = TurnContext.get_conversation_reference(context.activity)
                ref.activity_id = None
                self.chats.save(self.tenant, self.user.key, ref)
                if self.raw.get("type") == "message":  # they write to Calma: it is back
                    self.sender.restored(self.tenant, self.user.key)
            except StoreError as error:
                log.error("cannot save a Teams chat reference: %s", error)
        elif self.user.service_url:
            ref = seed(self.user, act.bot_id(self.raw), act.text_of(self.raw.get("channelId")))
            self.chats.remember(self.tenant, self.user.key, ref)

    def _keep_zone(self) -> None:
        """Remember the author's time zone from the activity, unless one is already set.

        Button presses carry no zone; "Mañana 9:00" then uses the stored one.
        """
        zone = act.timezone(self.raw)
        if zone is not None and self.user.id:
            self.service.keep_zone(PLATFORM, self.tenant, self.user.key, zone)

    def _dispatch(self, context: TurnContext, event: object) -> None:
        if isinstance(event, IncomingMessage):
            self._place(context, self.service.on_message(event))
        elif isinstance(event, Command):
            if not self._lead_naming_someone(event):
                self._command(context, event)
            elif self.service.first_time(PLATFORM, event.event_id):
                # claimed before the member lookup, so a redelivery looks up no one again
                self.deferred = replace(event, event_id=None)
        elif isinstance(event, Action):
            self._place(context, self.service.on_action(event))
        elif isinstance(event, ConversationEvent):
            self._lifecycle(context, event)

    def _command(self, context: TurnContext, cmd: Command) -> None:
        self._place(context, self.service.on_command(cmd))

    def _lead_naming_someone(self, cmd: Command) -> bool:
        """A lead's command whose mentioned person must be looked up first (a non-lead's is
        refused by the service without any lookup)."""
        if not to_look_up(cmd):
            return False
        return self.service.is_lead(PLATFORM, self.tenant, cmd.author)

    def _lifecycle(self, context: TurnContext, event: ConversationEvent) -> None:
        if event.kind == "uninstalled":
            self._uninstalled(event)
            return
        if event.kind == "installed" and self.user.id:
            self.service.on_install(PLATFORM, self.tenant, self.user.key)
            self.sender.restored(self.tenant, self.user.key)
        bot_added = event.kind == "members_added" and event.bot_involved
        welcome = event.kind == "installed" or bot_added
        if welcome and self.personal:
            replies = self.service.welcome(
                PLATFORM,
                self.tenant,
                self.user.key,
                locale=act.locale(self.raw),
                event_id=activity_event(self.raw),
            )
            self._place(context, replies)

    def _uninstalled(self, event: ConversationEvent) -> None:
        """Calma was removed: say so in the log; the reminders stay pending (as Slack's do), and
        nothing more goes to the person who removed it from their personal scope."""
        if self.personal and self.user.id:
            self.sender.removed(self.tenant, self.user.key)
        try:
            pending = self.service.pending_reminders(PLATFORM, self.tenant)
        except StoreError as error:
            log.error("teams: cannot count tenant %s's pending reminders: %s", self.tenant, error)
            pending = -1
        log.warning(
            "teams: Calma was removed from a %s conversation in tenant %s; %s pending reminders"
            " of the tenant stay pending%s",
            event.conversation_type,
            self.tenant,
            pending if pending >= 0 else "its",
            ", none sent to the person who removed it" if self.personal else "",
        )

    def _place(self, context: TurnContext, replies: list[Reply]) -> None:
        for reply in replies:
            self._one(context, reply)

    def _one(self, context: TurnContext, reply: Reply) -> None:
        what = type(reply).__name__
        if isinstance(reply, UpdateOriginal):
            self._update(context, reply.card)
        elif isinstance(reply, Post):
            self._post(context, reply)
        elif isinstance(reply, PrivateNudge | PrivateNotice | DirectMessage):
            mine = reply.user == self.user.key
            shareable = isinstance(reply, PrivateNotice) and reply.audience != "private"
            here = mine and (self.personal or shareable)
            if here:
                self._reply(context, reply.card, what)
            else:
                self._to_user(reply.workspace, reply.user, reply.card, what)
                if mine and not self.personal and self.raw.get("type") == "message":
                    self._point_to_chat(context)

    def _update(self, context: TurnContext, card: Card) -> None:
        card_id = act.text_of(self.raw.get("replyToId"))
        if card_id is not None:
            ref, card = self._here(context), self._named(card)
            self.later.append(sends.update("card update", ref, card_id, card))
        elif self.personal:
            self._reply(context, card, "card update")
        else:
            self._to_user(self.tenant, self.user.key, card, "card update")

    def _post(self, context: TurnContext, post: Post) -> None:
        if self.personal or post.channel != act.channel_id(self.raw):
            log.warning("a post for another conversation was dropped")
            return
        self._reply(context, post.card, "post")

    def _point_to_chat(self, context: TurnContext) -> None:
        """Once per turn, tell a channel command's author the answer went to the 1:1 chat."""
        if self.pointed or not isinstance(self.event, Command):
            return
        self.pointed = True
        self._reply(context, self._texts().answered_privately(), "pointer to the 1:1 chat")

    def _texts(self) -> DoorTexts:
        """The service's words for the turn's author, in their language."""
        return self.service.texts(PLATFORM, self.tenant, self.user.key, locale=act.locale(self.raw))
