"""Pure rendering of neutral cards and replies as Block Kit payloads (kwargs for the Web API).

All user text goes through `escape` (so echoed `<!channel>` or `<@U…>` stay inert) and mrkdwn is
sent `verbatim`; `link_names` and `parse` are never set. Block Kit limits are enforced by clipping.
The only mentions Calma writes are the people a reply names with `bot.model.person`: `people`
turns each into `<@U123>` after escaping the text around it (Slack shows the name; an ephemeral
message notifies no one). A title that names someone becomes a bold mrkdwn section, since a
header is plain text.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from adapters.slack import ids
from adapters.slack.text import clip, clip_escaped
from adapters.slack.text import escape as escape  # re-exported: render.escape is the public one
from bot.model import (
    Button,
    Card,
    DirectMessage,
    Person,
    Post,
    PrivateNotice,
    PrivateNudge,
    UpdateOriginal,
    name_people,
    people_in,
    split_people,
)

ASK_STYLE: Literal["primary"] = "primary"  # the button that answers a question

Block = dict[str, Any]

SECTION_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
ACTION_ID_MAX = 255
BUTTONS_MAX = 25
FALLBACK_TEXT_MAX = 3000
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,31}")  # a Slack user id, as `<@…>` takes it


def people(text: str) -> str:
    """`text` escaped for mrkdwn, each person it names as `<@U123>` (an id of another form, such
    as a typed `@ana`, as escaped `@ana`)."""
    return "".join(
        escape(part)
        if not isinstance(part, Person)
        else f"<@{part.user}>"
        if _USER_ID.fullmatch(part.user)
        else escape(f"@{part.user}")
        for part in split_people(text)
    )


def unmarked(text: str) -> str:
    """`text` for a plain_text object, which cannot mention: each person as `@id`."""
    return name_people(text, lambda user: f"@{user}")


def mrkdwn(text: str) -> dict[str, Any]:
    """A verbatim mrkdwn text object; `text` must already be escaped."""
    return {"type": "mrkdwn", "text": clip_escaped(text, SECTION_TEXT_MAX), "verbatim": True}


def plain(text: str, limit: int) -> dict[str, Any]:
    """A plain_text object (Slack never parses mentions or links in it)."""
    return {"type": "plain_text", "text": clip(unmarked(text), limit), "emoji": True}


def quote(text: str) -> str:
    """`text` escaped as a mrkdwn block quote, every line marked with `>`."""
    return "\n".join(f">{people(line)}" for line in text.splitlines() or [""])


def _button(button: Button, action_id: str) -> Block:
    element: Block = {
        "type": "button",
        "action_id": action_id[:ACTION_ID_MAX],
        "text": plain(button.label, BUTTON_TEXT_MAX),
        "value": button.value[:BUTTON_VALUE_MAX],
    }
    if button.style:
        element["style"] = button.style
    return element


def buttons_block(buttons: tuple[Button, ...], block_id: str = ids.BLOCK_ACTIONS) -> Block:
    """An actions block; a repeated action gets `~n` appended (action ids must be unique)."""
    seen: dict[str, int] = {}
    elements = []
    for button in buttons[:BUTTONS_MAX]:
        n = seen.get(button.action, 0)
        seen[button.action] = n + 1
        elements.append(_button(button, f"{button.action}~{n}" if n else button.action))
    return {"type": "actions", "block_id": block_id, "elements": elements}


def card_blocks(card: Card) -> list[Block]:
    """A Card as blocks: header, quoted excerpt, paragraphs, link, the note, buttons."""
    blocks: list[Block] = []
    if people_in(card.title):
        blocks.append({"type": "section", "text": mrkdwn(f"*{people(card.title)}*")})
    elif card.title.strip():  # Slack rejects empty text objects
        blocks.append({"type": "header", "text": plain(card.title, HEADER_TEXT_MAX)})
    if card.quote:
        blocks.append({"type": "section", "text": mrkdwn(quote(card.quote))})
    for section in card.sections:
        if not (section.text.strip() or section.heading):
            continue
        body = people(section.text)
        if section.heading:
            body = f"*{people(section.heading)}*\n{body}"
        blocks.append({"type": "section", "text": mrkdwn(body)})
    if card.link:
        label = escape(unmarked(card.link_label or card.link))
        blocks.append({"type": "context", "elements": [mrkdwn(f"<{escape(card.link)}|{label}>")]})
    if card.note:
        blocks.append({"type": "context", "elements": [mrkdwn(people(card.note))]})
    buttons = card.buttons
    if card.ask is not None:  # the question's field: a button that opens it in a modal
        buttons += (Button(ids.ACTION_ASK_OPEN, card.ask.action, card.ask.open, ASK_STYLE),)
    if buttons:
        blocks.append(buttons_block(buttons))
    return blocks


def fallback_text(card: Card) -> str:
    """The notification text Slack shows where blocks cannot be (escaped, people as `<@U…>`,
    clipped)."""
    return clip_escaped(people(card.marked_text()), FALLBACK_TEXT_MAX)


def message(card: Card) -> dict[str, Any]:
    """`text` + `blocks` for any message-like Web API call."""
    return {"text": fallback_text(card), "blocks": card_blocks(card)}


def _in_thread(payload: dict[str, Any], thread: str | None) -> dict[str, Any]:
    if thread:
        payload["thread_ts"] = thread
    return payload


def nudge_payload(nudge: PrivateNudge) -> dict[str, Any]:
    """kwargs for `chat.postEphemeral`: seen by the author only, in the thread they wrote in."""
    payload = {"channel": nudge.channel, "user": nudge.user, **message(nudge.card)}
    return _in_thread(payload, nudge.thread)


def notice_payload(notice: PrivateNotice, *, channel: str | None = None) -> dict[str, Any]:
    """kwargs for `chat.postEphemeral`; `channel` overrides the notice's (e.g. the user's DM)."""
    target = channel or notice.channel
    if target is None:
        raise ValueError("a PrivateNotice without a channel needs one from the caller")
    payload = {"channel": target, "user": notice.user, **message(notice.card)}
    return _in_thread(payload, notice.thread)


def post_payload(post: Post) -> dict[str, Any]:
    """kwargs for `chat.postMessage` of a public post (tips a lead shares), without unfurls."""
    payload = {"channel": post.channel, **message(post.card)}
    payload.update(unfurl_links=False, unfurl_media=False)
    return _in_thread(payload, post.thread)


def dm_payload(dm: DirectMessage, channel: str) -> dict[str, Any]:
    """kwargs for `chat.postMessage` in the user's DM (`channel` from `conversations.open`)."""
    return {"channel": channel, **message(dm.card), "unfurl_links": False, "unfurl_media": False}


def replace_payload(update: UpdateOriginal) -> dict[str, Any]:
    """JSON body for an interaction's `response_url`: replaces the card (works for ephemerals)."""
    return {"replace_original": True, **message(update.card)}


def update_payload(update: UpdateOriginal, *, channel: str, ts: str) -> dict[str, Any]:
    """kwargs for `chat.update` of a normal (non-ephemeral) message such as a reminder DM."""
    return {"channel": channel, "ts": ts, **message(update.card)}
