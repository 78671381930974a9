"""A question's own field in Slack: the button on the card, the modal it opens, its submission.

The modal carries where the question's card is (`private_metadata`), so the answer replaces that
card (response_url, or chat.update for a DM) and no button on it answers a second time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from adapters.slack import ids
from adapters.slack.origin import Origin, dig
from adapters.slack.render import Block, plain
from adapters.slack.text import sane
from adapters.slack.views import INPUT_LABEL_MAX, METADATA_MAX, MODAL_TITLE_MAX
from bot import actions
from bot.model import Action, Ask, Reply

ANSWER_MAX = 300  # a time or a short note
PLACEHOLDER_MAX = 150


def form_in(replies: Sequence[Reply]) -> Ask | None:
    """The field of the first reply card that asks something."""
    for reply in replies:
        card = getattr(reply, "card", None)
        if card is not None and card.ask is not None:
            ask: Ask = card.ask
            return ask
    return None


def command_origin(response_url: str | None) -> Origin:
    """Where a slash command's answer went: its response_url (the ephemeral it replaces)."""
    return Origin("command", None, response_url, None, None, None, None, None)


def metadata(origin: Origin) -> str:
    """The card's whereabouts, kept in the modal until it is submitted."""
    kept = {
        "u": origin.response_url,
        "c": origin.channel,
        "t": origin.message_ts,
        "k": origin.container,
    }
    text = json.dumps(kept, separators=(",", ":"))
    return text if len(text) <= METADATA_MAX else "{}"


def answer_modal(ask: Ask, close: str, where: str) -> dict[str, Any]:
    """The modal: one line to type the answer, with the question's example as placeholder."""
    element: Block = {
        "type": "plain_text_input",
        "action_id": ids.ACTION_ANSWER_TEXT,
        "placeholder": plain(ask.placeholder, PLACEHOLDER_MAX),
        "max_length": ANSWER_MAX,
    }
    return {
        "type": "modal",
        "callback_id": ids.VIEW_ANSWER,
        "title": plain(ask.title, MODAL_TITLE_MAX),
        "submit": plain(ask.submit, MODAL_TITLE_MAX),
        "close": plain(close, MODAL_TITLE_MAX),
        "private_metadata": where,
        "blocks": [
            {
                "type": "input",
                "block_id": ids.BLOCK_ANSWER,
                "label": plain(ask.label, INPUT_LABEL_MAX),
                "element": element,
            }
        ],
    }


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def submitted_answer(
    body: Mapping[str, Any], *, now: datetime | None = None
) -> tuple[Action, Origin] | None:
    """The answer modal's submission → the typed answer as an Action, and where the question's
    card is; None for any other view."""
    if body.get("type") != "view_submission":
        return None
    view = body.get("view")
    if dig(view, "callback_id") != ids.VIEW_ANSWER:
        return None
    user = _text(dig(body, "user", "id"))
    if user is None:
        return None
    typed = dig(view, "state", "values", ids.BLOCK_ANSWER, ids.ACTION_ANSWER_TEXT, "value")
    try:
        kept = json.loads(dig(view, "private_metadata") or "{}")
    except ValueError:
        kept = {}
    kept = kept if isinstance(kept, dict) else {}
    container = kept.get("k") if kept.get("k") in ("message", "ephemeral", "view") else None
    origin = Origin(
        "view_submission",
        None,
        _text(kept.get("u")),
        _text(kept.get("c")),
        _text(kept.get("t")),
        container,
        None,
        None,
    )
    team = _text(dig(body, "team", "id")) or _text(dig(body, "user", "team_id")) or ""
    action = Action(
        platform="slack",
        workspace=team,
        channel=origin.channel,
        author=user,
        action=actions.ANSWER,
        value=sane(typed if isinstance(typed, str) else "").strip(),
        ts=now or datetime.now(UTC),
        locale=_text(dig(body, "user", "locale")),
    )
    return action, origin
