"""A turn's sends as data, so they can wait in the durable outbox and be made by any instance.

A turn decides and stores; what it sends (replies in its conversation, cards in a user's 1:1
chat, a replaced card) becomes a list of JSON-ready dicts, kept as one outbox row and performed
in order after the HTTP answer. Cards travel rendered (the activity botbuilder sends), references
in botbuilder's own wire names.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from botbuilder.schema import ConversationReference

from adapters.teams.render import card_activity
from adapters.teams.retry import describe, outbound_failure
from adapters.teams.sender import Sender
from bot.model import Card

log = logging.getLogger(__name__)

Send = dict[str, Any]
KIND = "teams.sends"  # the outbox kind of a turn's sends


def to_chat(what: str, ref: ConversationReference, card: Card) -> Send:
    """A card in a known conversation (a reply when `ref` names an activity)."""
    return {"what": what, "op": "chat", "ref": ref.serialize(), "activity": card_activity(card)}


def to_user(what: str, tenant: str, user: str, card: Card) -> Send:
    """A card in the user's 1:1 chat (created the first time)."""
    return {
        "what": what,
        "op": "user",
        "tenant": tenant,
        "user": user,
        "activity": card_activity(card),
    }


def update(what: str, ref: ConversationReference, activity_id: str, card: Card) -> Send:
    """The card `activity_id` in the conversation of `ref`, replaced."""
    return {
        "what": what,
        "op": "update",
        "ref": ref.serialize(),
        "activity_id": activity_id,
        "activity": card_activity(card),
    }


def dumps(sends: list[Send]) -> str:
    return json.dumps(sends, ensure_ascii=False)


def loads(payload: str) -> list[Send]:
    """The sends of an outbox row; ValueError when the payload is not a list of sends."""
    sends = json.loads(payload)
    if not isinstance(sends, list) or not all(isinstance(s, dict) for s in sends):
        raise ValueError("a Teams outbox row that is not a list of sends")
    return sends


async def perform_one(sender: Sender, send: Send) -> None:
    op, activity = send.get("op"), send["activity"]
    if op == "chat":
        await sender.to_chat(ConversationReference().deserialize(send["ref"]), [activity])
    elif op == "user":
        await sender.to_user(str(send["tenant"]), str(send["user"]), [activity])
    elif op == "update":
        ref = ConversationReference().deserialize(send["ref"])
        await sender.update(ref, str(send["activity_id"]), activity)
    else:
        raise ValueError(f"unknown Teams send {op!r}")


async def perform(sender: Sender, sends: list[Send]) -> None:
    """Make the sends in order; one that fails (after the retries) is logged and the others go."""
    for send in sends:
        what = str(send.get("what") or "send")
        try:
            await perform_one(sender, send)
        except Exception as error:
            if not outbound_failure(error):
                log.exception("a %s was not delivered", what)
            else:  # the Bot Connector refused or failed: one line says which
                log.warning("a %s was not delivered: %s", what, describe(error))
