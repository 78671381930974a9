"""Replies as console text, labelled as they would be seen: privately, in the channel, in a DM."""

from __future__ import annotations

from adapters.console.visible import visible
from bot.model import Button, Card, DirectMessage, Post, PrivateNotice, PrivateNudge, Reply
from bot.service import DoorTexts


def card_text(card: Card, texts: DoorTexts) -> list[str]:
    """A card's lines, with its buttons numbered for `!boton <n>`."""
    lines = visible(card.plain_text()).splitlines()
    if card.buttons:
        labels = "  ".join(f"[{i}] {b.label}" for i, b in enumerate(card.buttons, start=1))
        lines.append(texts.buttons(labels))
    return lines


def reply_text(reply: Reply, texts: DoorTexts) -> tuple[list[str], tuple[Button, ...]]:
    """The printed lines of one reply, labelled in the service's words, and its buttons."""
    match reply:
        case PrivateNudge() | PrivateNotice():
            label = texts.label("private")
        case Post():
            label = texts.label("channel_post")
        case DirectMessage():
            label = texts.label("direct")
        case _:
            label = texts.label("updated")
    lines = card_text(reply.card, texts)
    return [f"{label} {lines[0]}", *(f"  {line}" for line in lines[1:])], reply.card.buttons
