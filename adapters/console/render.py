"""Replies as console text, labelled as they would be seen: privately, in the channel, in a DM."""

from __future__ import annotations

from adapters.console.visible import visible
from bot.i18n import Lang, t
from bot.model import Button, Card, DirectMessage, Post, PrivateNotice, PrivateNudge, Reply


def card_text(card: Card, lang: Lang) -> list[str]:
    """A card's lines, with its buttons numbered for `!boton <n>`."""
    lines = visible(card.plain_text()).splitlines()
    if card.buttons:
        labels = "  ".join(f"[{i}] {b.label}" for i, b in enumerate(card.buttons, start=1))
        lines.append(t("console.buttons", lang, buttons=labels))
    return lines


def reply_text(reply: Reply, lang: Lang) -> tuple[list[str], tuple[Button, ...]]:
    """The printed lines of one reply, and the buttons it offers."""
    match reply:
        case PrivateNudge() | PrivateNotice():
            label = t("console.private", lang)
        case Post():
            label = t("console.channel_post", lang)
        case DirectMessage():
            label = t("console.direct", lang)
        case _:
            label = t("console.updated", lang)
    lines = card_text(reply.card, lang)
    return [f"{label} {lines[0]}", *(f"  {line}" for line in lines[1:])], reply.card.buttons
