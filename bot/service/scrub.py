"""Text from a platform made safe to store: lone UTF-16 surrogates become U+FFFD, and the
private-use characters that mark a person in a reply (bot/model.py `person`) are dropped, so no
one can type a mention that a door would render.

A broken JSON payload (`"\\ud800"`) decodes to a str that SQLite cannot encode; left as is, the
first write of it would fail and lose the line. Every other character (NUL, bidi marks, ZWJ
emoji) is kept as sent.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar

from bot.model import MARKERS, Command, keep_people, without_markers

E = TypeVar("E")

# What clean() may change: a person marker or a surrogate (lone or not: a str from JSON may hold
# a pair that is joined). Text without one (nearly every line) is returned after one C scan.
_ODD = re.compile(f"[{MARKERS}\ud800-\udfff]")
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def clean(text: str, people: Collection[str] = ()) -> str:
    """`text` with every lone surrogate replaced by U+FFFD (valid pairs are joined) and no
    person markers but the marks of `people`; `text` itself when there was nothing to change."""
    if text.isascii() or _ODD.search(text) is None:
        return text
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
    names = _FIELD_NAMES.get(type(event))
    if names is None:
        names = _FIELD_NAMES[type(event)] = tuple(f.name for f in fields(event))  # type: ignore[arg-type]
    values = [getattr(event, name) for name in names]
    joined = "".join(v for v in values if isinstance(v, str))
    if (joined.isascii() or _ODD.search(joined) is None) and not any(
        isinstance(v, tuple) for v in values
    ):
        return event  # nearly every event: nothing to change, one scan over all its text
    changes: dict[str, Any] = {}
    for name, value in zip(names, values, strict=True):
        if isinstance(value, str) and (fixed := clean(value)) is not value:
            changes[name] = fixed
        elif isinstance(value, tuple) and any(is_dataclass(item) for item in value):
            items = tuple(scrubbed(item) if is_dataclass(item) else item for item in value)
            if any(new is not old for new, old in zip(items, value, strict=True)):
                changes[name] = items
    return replace(event, **changes) if changes else event  # type: ignore[type-var]
