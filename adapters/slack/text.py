"""Slack's text conventions: entity (un)escaping, `<…>` tokens made readable, and safe clipping."""

from __future__ import annotations

import re

from bot.model import person, without_markers
from bot.service.scrub import clean

ELLIPSIS = "…"
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_TOKEN = re.compile(r"<([^<>\n]*)>")
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$|<@[A-Z0-9]*$")  # or half a `<@U123>` mention
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # NUL and kin; keeps \t \n \r


def sane(text: str) -> str:
    """Text that can be stored and sent again: lone surrogates become U+FFFD, controls and the
    person markers of bot/model.py go.

    RTL marks, zero-width joiners (emoji sequences) and every other printable character stay.
    """
    return _CONTROL.sub("", clean(text))


def unescape(text: str) -> str:
    """Slack's `&amp;`, `&lt;`, `&gt;` back to `&`, `<`, `>` in one pass (`&amp;lt;` → `&lt;`)."""
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)


def escape(text: str) -> str:
    """Text made inert for mrkdwn: unescape Slack's entities first, then escape `&`, `<`, `>`;
    person markers (bot/model.py) are dropped — `render.people` turns them into mentions."""
    raw = unescape(without_markers(text))
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _readable_token(body: str, people: bool) -> str:
    """One `<…>` token as a person reads it: `<@U1|ana>` → `@ana`, `<https://x|aquí>` → `aquí`."""
    target, _, label = body.partition("|")
    if target.startswith("@"):
        if people and len(target) > 1:
            return person(target[1:])
        return f"@{label}" if label else target
    if target.startswith("#"):
        return f"#{label}" if label else target
    if target.startswith("!"):
        if label:
            return label
        name = target[1:].split("^", 1)[0]
        return f"@{name}"
    return label or target


def readable(text: str, *, people: bool = False) -> str:
    """Slack message text as the user saw it: tokens resolved to their labels, entities unescaped.

    Tokens go first: a literal `<` typed by the user arrives as `&lt;`, so every real `<` opens a
    token. With `people`, a user mention `<@U…>` becomes the neutral `person("U…")` (a command's
    form, bot/model.py); markers typed by the user are dropped first, so only mentions are people.
    """
    resolved = _TOKEN.sub(lambda m: _readable_token(m.group(1), people), sane(text))
    return unescape(resolved)


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + ELLIPSIS


def clip_escaped(text: str, limit: int) -> str:
    """Like `clip` for already-escaped mrkdwn: never leaves half an entity such as `&am`."""
    if len(text) <= limit:
        return text
    head = _PARTIAL_ENTITY.sub("", text[: max(limit - 1, 0)])
    return head + ELLIPSIS
