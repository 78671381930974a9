"""Where to reach each user privately: conversation references, kept as JSON in the store.

Two kinds are kept per (tenant, user): the 1:1 chat with Coach once it exists (a reference with a
conversation), or until then a "seed" — the user's "29:" id, the bot and the serviceUrl seen in a
channel — from which the door creates the 1:1 chat when it first needs it.
"""

from __future__ import annotations

import json
import logging

from botbuilder.schema import ChannelAccount, ConversationReference

from adapters.teams.activity import TeamsUser
from bot.errors import StoreError
from bot.model import Platform
from bot.ports import ConversationRefs

log = logging.getLogger(__name__)

PLATFORM: Platform = "teams"
CHANNEL_ID = "msteams"


def is_chat(ref: ConversationReference) -> bool:
    """The reference names a conversation (not only a user to start one with)."""
    return ref.conversation is not None and bool(ref.conversation.id)


def seed(user: TeamsUser, bot_id: str | None, channel_id: str | None) -> ConversationReference:
    """What creating the user's 1:1 chat needs, before that chat exists."""
    return ConversationReference(
        user=ChannelAccount(id=user.id, aad_object_id=user.aad_object_id, name=user.name),
        bot=ChannelAccount(id=bot_id) if bot_id else None,
        channel_id=channel_id or CHANNEL_ID,
        service_url=user.service_url,
    )


def dumps(ref: ConversationReference) -> str:
    """The reference as JSON (botbuilder's own wire names)."""
    return json.dumps(ref.serialize(), ensure_ascii=False, sort_keys=True)


def loads(raw: str) -> ConversationReference | None:
    """A stored reference, or None when the JSON is unusable."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    ref = ConversationReference().deserialize(data)
    return ref if ref.user is not None and ref.service_url else None


def _unnamed(ref: ConversationReference) -> bool:
    return ref.user is None or not ref.user.name


class Chats:
    """The kept conversation references of Teams users, as botbuilder objects."""

    def __init__(self, refs: ConversationRefs) -> None:
        self.refs = refs

    def get(self, tenant: str, user: str) -> ConversationReference | None:
        """The user's 1:1 chat or seed, or None when the user was never seen."""
        raw = self.refs.conversation_ref(PLATFORM, tenant, user)
        if raw is None:
            return None
        ref = loads(raw)
        if ref is None:
            log.error("unusable conversation reference stored for a user of tenant %s", tenant)
        return ref

    def save(self, tenant: str, user: str, ref: ConversationReference) -> None:
        """Keep the reference (replacing any earlier one)."""
        self.refs.save_conversation_ref(PLATFORM, tenant, user, dumps(ref))

    def remember(self, tenant: str, key: str, ref: ConversationReference) -> None:
        """Keep a seed only when nothing better is known — or when the seed kept has no display
        name and this one has (answers name people by it); never raises (logged)."""
        try:
            known = self.get(tenant, key)
            if known is None or (not is_chat(known) and _unnamed(known) and not _unnamed(ref)):
                self.save(tenant, key, ref)
        except StoreError as error:
            log.error("cannot remember a Teams user: %s", error)
