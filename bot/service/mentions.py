"""People named in a command: display names from a door's `mentions` become user ids."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.commands import Customers, Leads, ParsedCommand
from bot.model import Mention


def mark_mentions(text: str, mentions: Sequence[Mention]) -> str:
    """Wrap each mentioned display name in `<at>…</at>` (once) so the grammar reads it as one."""
    for m in sorted(mentions, key=lambda m: len(m.name), reverse=True):
        if not m.name.strip() or f"<at>{m.name}</at>" in text:
            continue
        found = re.search(rf"(?<![\w<>@])@?{re.escape(m.name)}(?![\w<>])", text)
        if found:
            text = f"{text[: found.start()]}<at>{m.name}</at>{text[found.end() :]}"
    return text


def resolve_mentions(parsed: ParsedCommand, mentions: Sequence[Mention]) -> ParsedCommand:
    """Replace a display name the grammar found by the mentioned person's id."""
    if not mentions or not isinstance(parsed, Leads | Customers) or parsed.user is None:
        return parsed
    ids = {m.name.casefold(): m.user for m in mentions}
    user = ids.get(parsed.user.casefold())
    return parsed if user is None else replace(parsed, user=user)
