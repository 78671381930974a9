"""Pure builders for Slack views: the App Home tab and the draft-check modal.

They take neutral, already-worded inputs: the words come from `bot/`'s catalogue, not from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from adapters.slack import ids
from adapters.slack.render import Block, buttons_block, card_blocks, mrkdwn, plain, quote
from adapters.slack.text import escape
from bot.model import Button, Card

VIEW_BLOCKS_MAX = 100
MODAL_TITLE_MAX = 24
INPUT_LABEL_MAX = 2000
DRAFT_MAX = 3000
METADATA_MAX = 3000


@dataclass(frozen=True)
class FollowUp:
    """A pending follow-up as the Home tab lists it."""

    due: str  # already formatted in the user's time zone and language
    excerpt: str
    permalink: str | None = None
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class HomeTexts:
    """The Home tab's headings and empty-state lines, in the user's language."""

    title: str
    pending: str
    no_pending: str
    nudges: str
    no_nudges: str
    tips: str


def _follow_up_blocks(index: int, item: FollowUp, link_label: str) -> list[Block]:
    text = f"*{escape(item.due)}*\n{quote(item.excerpt)}"
    if item.permalink:
        text += f"\n<{escape(item.permalink)}|{escape(link_label)}>"
    blocks: list[Block] = [{"type": "section", "text": mrkdwn(text)}]
    if item.buttons:
        blocks.append(buttons_block(item.buttons, block_id=f"followup_{index}"))
    return blocks


def home_view(
    texts: HomeTexts,
    pending: Sequence[FollowUp],
    nudges_by_category: Sequence[tuple[str, int]],
    tips: Sequence[str],
    *,
    link_label: str = "↗",
) -> dict[str, Any]:
    """The Home tab (`views.publish`): pending follow-ups, own nudges this week, the tips."""
    tail: list[Block] = [{"type": "divider"}, {"type": "header", "text": plain(texts.nudges, 150)}]
    counts = "\n".join(f"• {escape(name)}: *{n}*" for name, n in nudges_by_category if n)
    tail.append({"type": "section", "text": mrkdwn(counts or escape(texts.no_nudges))})
    tail += [{"type": "divider"}, {"type": "header", "text": plain(texts.tips, 150)}]
    tail += [{"type": "section", "text": mrkdwn(escape(tip))} for tip in tips]
    blocks: list[Block] = [{"type": "header", "text": plain(texts.title, 150)}]
    blocks.append({"type": "section", "text": mrkdwn(f"*{escape(texts.pending)}*")})
    if not pending:
        blocks.append({"type": "context", "elements": [mrkdwn(escape(texts.no_pending))]})
    room = VIEW_BLOCKS_MAX - len(blocks) - len(tail) - 1  # one spare for the "…" marker
    for i, item in enumerate(pending):
        more = _follow_up_blocks(i, item, link_label)
        if len(more) > room:
            blocks.append({"type": "context", "elements": [mrkdwn("…")]})
            break
        blocks += more
        room -= len(more)
    return {"type": "home", "blocks": (blocks + tail)[:VIEW_BLOCKS_MAX]}


def modal_view(
    *,
    title: str,
    label: str,
    submit: str,
    close: str,
    draft: str = "",
    result: Card | None = None,
    private_metadata: str = "",
) -> dict[str, Any]:
    """The draft-check modal (`views.open`, then `response_action: update` with the result)."""
    element: Block = {
        "type": "plain_text_input",
        "action_id": ids.ACTION_DRAFT_TEXT,
        "multiline": True,
        "max_length": DRAFT_MAX,
    }
    if draft:
        element["initial_value"] = draft[:DRAFT_MAX]
    blocks: list[Block] = [
        {
            "type": "input",
            "block_id": ids.BLOCK_DRAFT,
            "label": plain(label, INPUT_LABEL_MAX),
            "element": element,
        }
    ]
    if result is not None:
        blocks += [{"type": "divider"}, *card_blocks(result)]
    return {
        "type": "modal",
        "callback_id": ids.VIEW_DRAFT,
        "title": plain(title, MODAL_TITLE_MAX),
        "submit": plain(submit, MODAL_TITLE_MAX),
        "close": plain(close, MODAL_TITLE_MAX),
        "private_metadata": private_metadata[:METADATA_MAX],
        "blocks": blocks[:VIEW_BLOCKS_MAX],
    }
