"""Conversions between Python values and the columns SQLite keeps (UTC ISO text, 0/1, excerpts)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store.base import EXCERPT_MAX


def aware(moment: datetime) -> datetime:
    """The instant itself; a naive datetime is refused (the store keeps aware instants only)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: the store keeps timezone-aware instants only")
    return moment


def to_iso(moment: datetime) -> str:
    """A UTC ISO-8601 string of fixed width, so text order is time order."""
    if moment.tzinfo is UTC:  # the clock's own instants: already UTC, no conversion
        if moment.microsecond:  # the plain form has all six digits then, and costs half
            return moment.isoformat()
        return moment.isoformat(timespec="microseconds")
    return aware(moment).astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(text: str | None) -> datetime | None:
    """Parse a stored instant (None stays None)."""
    return None if text is None else datetime.fromisoformat(text)


def from_iso_required(text: str) -> datetime:
    """Parse a stored instant from a NOT NULL column."""
    return datetime.fromisoformat(text)


def excerpt(text: str) -> str:
    """Keep at most EXCERPT_MAX characters of a line: the store never holds whole messages."""
    text = text.strip()
    if len(text) <= EXCERPT_MAX:
        return text
    return text[: EXCERPT_MAX - 1].rstrip() + "…"
