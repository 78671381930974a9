"""Neutral cards → Adaptive Card 1.5 JSON for Teams, and the message activity that carries one.

User text (the quoted excerpt, paragraphs) goes into RichTextBlock TextRuns, which Adaptive
Cards never read as Markdown; titles and headings are TextBlocks, whose Markdown we escape.
People a card names (bot.model.person) are shown by name by the turn (adapters/teams/people.py);
any still marked here become "alguien (id …f3f4)", so the markers never reach Teams.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from adapters.teams.chart import chart_element
from adapters.teams.people import named
from bot.model import Ask, Button, Card, Section
from bot.service.door_texts import UNADDRESSED

ASK_STYLE: Literal["primary"] = "primary"  # the button that answers a question

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_TITLE = 200
MAX_QUOTE = 600
MAX_TEXT = 2000
MAX_FALLBACK = 400  # shown only by clients without card support
MAX_ACTIONS = 6  # Teams shows at most six card actions
MAX_BUTTON_LABEL = 40
MAX_CARD_BYTES = 24_000  # JSON as sent (\u escapes); Teams refuses messages over ~28 KB
MAX_ANSWER = 300  # a typed time or a short note
ANSWER_INPUT = "answer"  # the Input.Text id a question's answer comes back under
_STYLES = {"primary": "positive", "danger": "destructive"}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


def escape_markdown(text: str) -> str:
    """Text that Teams' TextBlock Markdown shows literally (no bold, links, lists or HTML)."""
    return _MARKDOWN.sub(r"\\\1", text)


def clip(text: str, limit: int) -> str:
    """The text cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _heading(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": escape_markdown(text), "wrap": True, **style}


def _plain(text: str, **run_style: Any) -> list[dict[str, Any]]:
    """One RichTextBlock per line: TextRuns are never Markdown."""
    return [
        {
            "type": "RichTextBlock",
            "inlines": [{"type": "TextRun", "text": line, **run_style}],
            **({"spacing": "None"} if i else {}),
        }
        for i, line in enumerate(text.splitlines() or [""])
    ]


def _quote(text: str) -> dict[str, Any]:
    return {
        "type": "Container",
        "style": "emphasis",
        "bleed": False,
        "items": _plain(clip(text, MAX_QUOTE), italic=True),
    }


def _section(section: Section) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if section.heading:
        items.append(_heading(clip(section.heading, MAX_TITLE), weight="Bolder", spacing="Medium"))
    items.extend(_plain(clip(section.text, MAX_TEXT)))
    return items


def _submit(button: Button) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "Action.Submit",
        "title": clip(button.label, MAX_BUTTON_LABEL),
        "data": {"action": button.action, "value": button.value},
    }
    if button.style:
        action["style"] = _STYLES[button.style]
    return action


def _input(ask: Ask) -> dict[str, Any]:
    """The question's own field; its Action.Submit (see `_actions`) sends it as `answer`."""
    return {
        "type": "Input.Text",
        "id": ANSWER_INPUT,
        "label": clip(ask.label, MAX_TITLE),
        "placeholder": clip(ask.placeholder, MAX_TITLE),
        "maxLength": MAX_ANSWER,
    }


def _actions(card: Card) -> list[dict[str, Any]]:
    actions = [_submit(b) for b in card.buttons]
    if card.ask is not None:  # first, so the six-action limit never drops it
        send = Button(card.ask.action, "", card.ask.submit, ASK_STYLE)
        actions.insert(0, _submit(send))
    if card.link and card.link.startswith(("https://", "http://")):
        title = clip(card.link_label or card.link, MAX_BUTTON_LABEL)
        actions.append({"type": "Action.OpenUrl", "title": title, "url": card.link})
    return actions[:MAX_ACTIONS]


def adaptive_card(card: Card) -> dict[str, Any]:
    """The Adaptive Card 1.5 for a neutral card, kept under Teams' message size."""
    card = named(card, {}, UNADDRESSED.someone)
    sections = list(card.sections)
    with_image = True
    while True:
        body: list[dict[str, Any]] = [
            _heading(clip(card.title, MAX_TITLE), size="Medium", weight="Bolder")
        ]
        if card.quote:
            body.append(_quote(card.quote))
        for section in sections:
            body.extend(_section(section))
        if card.chart is not None:
            body.append(chart_element(card.chart, with_image=with_image))
        if card.ask is not None:
            body.append(_input(card.ask))
        if card.note:
            body.extend(_plain(clip(card.note, MAX_TEXT), isSubtle=True, size="Small"))
        content: dict[str, Any] = {
            "type": "AdaptiveCard",
            "$schema": SCHEMA,
            "version": "1.5",
            "fallbackText": clip(card.plain_text(), MAX_FALLBACK),
            "body": body,
        }
        if actions := _actions(card):
            content["actions"] = actions
        if len(json.dumps(content).encode()) <= MAX_CARD_BYTES:
            return content
        if with_image and card.chart is not None:
            with_image = False  # the chart's picture goes first: its facts are smaller
        elif sections:
            sections.pop()
        else:
            return content


def card_activity(card: Card) -> dict[str, Any]:
    """A message activity carrying the card; `summary` is the notification preview."""
    card = named(card, {}, UNADDRESSED.someone)
    return {
        "type": "message",
        "summary": clip(card.title, MAX_TITLE),
        "attachments": [{"contentType": ADAPTIVE_CARD, "content": adaptive_card(card)}],
    }
