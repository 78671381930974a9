"""Sending cards through botbuilder's CloudAdapter, proactively, on stored conversation references.

Every send is a `continue_conversation` on a reference (the turn's own, or the user's 1:1 chat),
so it can run after the HTTP answer. Every Bot Connector call goes through `with_retry`; an error
that outlasts the retries is raised to the caller (the outbox logs it, a reminder stays pending).
A stored 1:1 chat that Teams no longer knows is recreated once from its seed.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
)

from adapters.teams.refs import Chats, is_chat
from adapters.teams.render import card_activity
from adapters.teams.retry import Backoff, error_code, status_of, with_retry
from bot.errors import StoreError
from bot.model import Card

log = logging.getLogger(__name__)

# What the Bot Connector answers for a 1:1 chat that is gone (the app was removed and added back,
# the chat was deleted): worth creating the chat again once.
STALE_CODES = frozenset({"ConversationNotFound", "BotNotInConversationRoster"})


class NoChat(LookupError):
    """Calma has never seen this user, so it cannot open a 1:1 chat with them."""


class Removed(LookupError):
    """The user removed Calma (installationUpdate remove): nothing is sent until it is back."""


Message = Card | Mapping[str, Any]  # a card, or the activity already rendered from one


def card_message(card: Message) -> Activity:
    """The botbuilder message activity carrying the card."""
    rendered = card_activity(card) if isinstance(card, Card) else dict(card)
    return Activity().deserialize(rendered)


def is_stale(error: BaseException) -> bool:
    """The connector says the conversation no longer exists or the bot is not in it."""
    status = status_of(error)
    return status == 404 or (status == 403 and error_code(error) in STALE_CODES)


class Sender:
    """Replies, card updates and proactive 1:1 messages, retried on throttling."""

    def __init__(self, adapter: CloudAdapter, app_id: str, chats: Chats, backoff: Backoff) -> None:
        self.adapter = adapter
        self.app_id = app_id
        self.chats = chats
        self.backoff = backoff
        self._removed: set[tuple[str, str]] = set()
        self._locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    async def _send(self, context: TurnContext, card: Message) -> None:
        await with_retry(lambda: context.send_activity(card_message(card)), self.backoff, "send")

    async def to_chat(self, ref: ConversationReference, cards: Sequence[Message]) -> None:
        """Send cards in a known conversation (a reply when `ref` names an activity)."""

        async def send(context: TurnContext) -> None:
            # botbuilder answers the continuation event's own random id; answer `ref`'s instead
            context.activity.id = ref.activity_id
            for card in cards:
                await self._send(context, card)

        await self.adapter.continue_conversation(ref, send, self.app_id)

    async def update(self, ref: ConversationReference, activity_id: str, card: Message) -> None:
        """Replace the card `activity_id` in the conversation of `ref`."""
        replacement = card_message(card)
        replacement.id = activity_id

        async def put(context: TurnContext) -> None:
            await with_retry(
                lambda: context.update_activity(replacement), self.backoff, "card update"
            )

        await self.adapter.continue_conversation(ref, put, self.app_id)

    async def member(
        self, ref: ConversationReference, conversation_id: str, member_id: str
    ) -> ChannelAccount:
        """One member of a conversation, as the Bot Connector knows them (with aadObjectId):
        GET {serviceUrl}/v3/conversations/{conversation_id}/members/{member_id}, retried."""
        found: list[ChannelAccount] = []

        async def ask(context: TurnContext) -> None:
            client = context.turn_state[BotAdapter.BOT_CONNECTOR_CLIENT_KEY]
            found.append(
                await with_retry(
                    lambda: client.conversations.get_conversation_member(
                        conversation_id, member_id
                    ),
                    self.backoff,
                    "member lookup",
                )
            )

        await self.adapter.continue_conversation(ref, ask, self.app_id)
        return found[-1]

    def removed(self, tenant: str, user: str) -> None:
        """The user removed Calma from their personal scope: stop sending to them."""
        self._removed.add((tenant, user))

    def restored(self, tenant: str, user: str) -> None:
        """Calma is back for the user (installed again, or they wrote to it)."""
        self._removed.discard((tenant, user))

    async def to_user(self, tenant: str, user: str, cards: Sequence[Message]) -> None:
        """Send cards to the user's 1:1 chat, creating it the first time (one send at a time)."""
        if (tenant, user) in self._removed:
            raise Removed(f"Calma was removed by this Teams user (tenant {tenant})")
        key = (tenant, user)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:
            ref = await self.open_chat(tenant, user)
            for index, card in enumerate(cards):
                try:
                    await self.to_chat(ref, [card])
                except Exception as error:
                    if not is_stale(error):
                        raise
                    log.warning("the stored 1:1 chat is gone (%s); creating it again", error)
                    ref = await self._create(tenant, user, ref)
                    await self.to_chat(ref, cards[index:])
                    return

    async def open_chat(self, tenant: str, user: str) -> ConversationReference:
        """The user's 1:1 chat with Coach: the stored one, or a new one from the stored seed."""
        ref = self.chats.get(tenant, user)
        if ref is None:
            raise NoChat("no Teams chat or member id known for this user yet")
        if is_chat(ref):
            ref.activity_id = None  # a new message in the chat, not a reply to an old one
            return ref
        return await self._create(tenant, user, ref)

    async def _create(
        self, tenant: str, user: str, seed: ConversationReference
    ) -> ConversationReference:
        """A new 1:1 chat from a seed (or from a stale chat's user, bot and serviceUrl)."""
        params = ConversationParameters(
            is_group=False,
            bot=seed.bot,
            members=[ChannelAccount(id=seed.user.id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        made: list[ConversationReference] = []

        async def capture(context: TurnContext) -> None:
            made.append(TurnContext.get_conversation_reference(context.activity))

        await with_retry(
            lambda: self.adapter.create_conversation(
                self.app_id, capture, params, seed.channel_id, seed.service_url
            ),
            self.backoff,
            "create 1:1 chat",
        )
        ref = made[-1]
        ref.user, ref.bot = seed.user, seed.bot
        ref.activity_id = None
        ref.conversation.conversation_type = "personal"
        try:
            self.chats.save(tenant, user, ref)
        except StoreError as error:  # the chat exists; next time it is looked up again
            log.error("cannot save a new Teams 1:1 chat: %s", error)
        return ref
