"""Text from a platform made safe to store: lone UTF-16 surrogates become U+FFFD.

A broken JSON payload (`"\\ud800"`) decodes to a str that SQLite cannot encode; left as is, the
first write of it would fail and lose the line. Every other character (NUL, bidi marks, ZWJ
emoji) is kept as sent.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any, TypeVar

E = TypeVar("E")


def clean(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD (valid pairs are joined)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def scrubbed(event: E) -> E:
    """A copy of a frozen dataclass event with its text fields cleaned (itself if all clean)."""
    changes: dict[str, Any] = {}
    for field in fields(event):  # type: ignore[arg-type]
        value = getattr(event, field.name)
        if isinstance(value, str) and (fixed := clean(value)) is not value:
            changes[field.name] = fixed
    return replace(event, **changes) if changes else event  # type: ignore[type-var]
