"""The draft-check modal, worded from the catalogue, with the service's check result inside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from adapters.slack.views import modal_view
from bot.i18n import as_lang, t
from bot.model import Card, PrivateNotice, Reply, Section


def check_result(replies: Sequence[Reply], lang: str) -> Card:
    """The card a draft check answered with, without buttons, to show inside the modal."""
    card = next((r.card for r in replies if isinstance(r, PrivateNotice)), None)
    if card is None:
        return note_card(t("errors.unexpected", as_lang(lang) or "es"))
    return replace(card, buttons=())


def note_card(text: str) -> Card:
    """A card of one paragraph, for the modal."""
    return Card(title="", sections=(Section(text),))


def draft_modal(lang: str, *, draft: str = "", result: Card | None = None) -> dict[str, Any]:
    """The modal in `lang`, with the draft typed so far and the result of checking it."""
    code = as_lang(lang) or "es"
    return modal_view(
        title=t("slack.modal_title", code),
        label=t("slack.modal_label", code),
        submit=t("slack.modal_submit", code),
        close=t("slack.modal_close", code),
        draft=draft,
        result=result,
    )
