"""Sending cards through botbuilder's CloudAdapter: in a turn, or proactively in a 1:1 chat.

Every Bot Connector call goes through `with_retry`; an error that outlasts the retries is raised to
the caller (a turn logs it, a reminder stays pending).
"""

from __future__ import annotations

from collections.abc import Sequence

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
)

from adapters.teams.refs import Chats, is_chat
from adapters.teams.render import card_activity
from adapters.teams.retry import Backoff, with_retry
from bot.model import Card


class NoChat(LookupError):
    """Calma has never seen this user, so it cannot open a 1:1 chat with them."""


def card_message(card: Card) -> Activity:
    """The botbuilder message activity carrying the card."""
    return Activity().deserialize(card_activity(card))


class Sender:
    """Turn replies, card updates and proactive 1:1 messages, retried on throttling."""

    def __init__(self, adapter: CloudAdapter, app_id: str, chats: Chats, backoff: Backoff) -> None:
        self.adapter = adapter
        self.app_id = app_id
        self.chats = chats
        self.backoff = backoff

    async def reply(self, context: TurnContext, card: Card) -> None:
        """Answer in the turn's conversation (a channel thread, or the 1:1 chat)."""
        await with_retry(lambda: context.send_activity(card_message(card)), self.backoff, "reply")

    async def update(self, context: TurnContext, activity_id: str, card: Card) -> None:
        """Replace the card `activity_id` in the turn's conversation."""
        replacement = card_message(card)
        replacement.id = activity_id
        replacement.conversation = context.activity.conversation
        await with_retry(lambda: context.update_activity(replacement), self.backoff, "card update")

    async def to_user(self, tenant: str, user: str, cards: Sequence[Card]) -> None:
        """Send cards to the user's 1:1 chat, creating it the first time."""
        ref = await self.open_chat(tenant, user)
        await self.to_chat(ref, cards)

    async def to_chat(self, ref: ConversationReference, cards: Sequence[Card]) -> None:
        """Send cards in a known conversation (continue_conversation on its reference)."""

        async def send(context: TurnContext) -> None:
            for card in cards:
                await self.reply(context, card)

        await self.adapter.continue_conversation(ref, send, self.app_id)

    async def open_chat(self, tenant: str, user: str) -> ConversationReference:
        """The user's 1:1 chat with Coach: the stored one, or a new one from the stored seed."""
        ref = self.chats.get(tenant, user)
        if ref is None:
            raise NoChat("no Teams chat or member id known for this user yet")
        if is_chat(ref):
            return ref
        return await self._create(tenant, user, ref)

    async def _create(
        self, tenant: str, user: str, seed: ConversationReference
    ) -> ConversationReference:
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
        ref.conversation.conversation_type = "personal"
        self.chats.save(tenant, user, ref)
        return ref
