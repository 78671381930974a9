"""Text from a platform made safe to store: lone UTF-16 surrogates become U+FFFD, and the
private-use characters that mark a person in a reply (bot/model.py `person`) are dropped, so no
one can type a mention that a door would render.

A broken JSON payload (`"\\ud800"`) decodes to a str that SQLite cannot encode; left as is, the
first write of it would fail and lose the line. Every other character (NUL, bidi marks, ZWJ
emoji) is kept as sent.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar

from bot.model import MARKERS, Command, keep_people, without_markers

E = TypeVar("E")


def clean(text: str, people: Collection[str] = ()) -> str:
    """`text` with every lone surrogate replaced by U+FFFD (valid pairs are joined) and no
    person markers but the marks of `people`; `text` itself when there was nothing to change."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if any(marker in text for marker in MARKERS):
        return keep_people(text, people) if people else without_markers(text)
    return text


def scrubbed_command(cmd: Command) -> Command:
    """A command cleaned like any event, except that the people its door named keep their
    marks in its text (the grammar reads them); any other mark was typed and is dropped."""
    people = tuple(clean(user) for user in cmd.people)
    text = clean(cmd.text, people)
    return replace(scrubbed(cmd), text=text, people=people)


def scrubbed(event: E) -> E:
    """A copy of a frozen dataclass event with its text fields cleaned (itself if all clean);
    a tuple of dataclasses is cleaned item by item."""
    changes: dict[str, Any] = {}
    for field in fields(event):  # type: ignore[arg-type]
        value = getattr(event, field.name)
        if isinstance(value, str) and (fixed := clean(value)) is not value:
            changes[field.name] = fixed
        elif isinstance(value, tuple) and any(is_dataclass(item) for item in value):
            items = tuple(scrubbed(item) if is_dataclass(item) else item for item in value)
            if any(new is not old for new, old in zip(items, value, strict=True)):
                changes[field.name] = items
    return replace(event, **changes) if changes else event  # type: ignore[type-var]
