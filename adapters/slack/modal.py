"""The draft-check modal, in the service's words (DoorTexts), with its check result inside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from adapters.slack.views import modal_view
from bot.model import Card, PrivateNotice, Reply, Section
from bot.service import DoorTexts


def check_result(replies: Sequence[Reply], texts: DoorTexts) -> Card:
    """The card a draft check answered with, without buttons, to show inside the modal."""
    card = next((r.card for r in replies if isinstance(r, PrivateNotice)), None)
    if card is None:
        return note_card(texts.unexpected())
    return replace(card, buttons=())


def note_card(text: str) -> Card:
    """A card of one paragraph, for the modal."""
    return Card(title="", sections=(Section(text),))


def draft_modal(texts: DoorTexts, *, draft: str = "", result: Card | None = None) -> dict[str, Any]:
    """The modal in the service's words, with the draft typed so far and its check's result."""
    words = texts.modal()
    return modal_view(
        title=words.title,
        label=words.label,
        submit=words.submit,
        close=words.close,
        draft=draft,
        result=result,
    )
