"""Every user-facing text of the bot, from one catalogue per language (bot/catalogue/*.yml).

`t(key, lang, **kwargs)` looks a dotted key up and fills its `{placeholders}`; an unknown language
falls back to Spanish, an unknown key raises KeyError (a test keeps es and en in step).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

Lang = Literal["es", "en"]
LANGS: tuple[Lang, ...] = ("es", "en")
DEFAULT_LANG: Lang = "es"
CATALOGUE_DIR = Path(__file__).parent / "catalogue"

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_TWELVE_HOUR: frozenset[str] = frozenset({"en"})
_YEAR_HIDDEN_DAYS = 180  # a date this close ahead needs no year, even across New Year


def as_lang(lang: str | None) -> Lang | None:
    """The catalogue language for a code like "es", "en-US" or "es_AR", or None."""
    if not lang:
        return None
    primary = lang.strip().replace("_", "-").split("-", 1)[0].casefold()
    for known in LANGS:
        if primary == known:
            return known
    return None


def catalogue(lang: Lang) -> Mapping[str, str]:
    """The flat catalogue of one language: dotted key → text."""
    return _load(lang)


@cache
def _load(lang: Lang) -> dict[str, str]:
    path = CATALOGUE_DIR / f"{lang}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    flat: dict[str, str] = {}
    _flatten(data, "", flat, path)
    return flat


def _flatten(node: Any, prefix: str, out: dict[str, str], path: Path) -> None:
    if not isinstance(node, dict):
        raise TypeError(f"{path}: {prefix or 'the top'} must be a mapping")
    for key, value in node.items():
        if not isinstance(key, str):
            raise TypeError(f"{path}: key {key!r} under {prefix or 'the top'} is not a string")
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, dotted + ".", out, path)
        elif isinstance(value, str):
            out[dotted] = value
        else:
            raise TypeError(f"{path}: {dotted} must be a quoted string, not {value!r}")


def placeholders(text: str) -> frozenset[str]:
    """The names of the `{placeholders}` in one catalogue text."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def t(key: str, lang: str | None, **kwargs: object) -> str:
    """The text for `key` in `lang` (Spanish when unknown), with its placeholders filled."""
    return catalogue(as_lang(lang) or DEFAULT_LANG)[key].format(**kwargs)


def resolve_lang(user_lang: str | None, locale: str | None, workspace_default: str = "es") -> Lang:
    """The user's chosen language, else the platform locale's, else the workspace's, else es."""
    return as_lang(user_lang) or as_lang(locale) or as_lang(workspace_default) or DEFAULT_LANG


def format_when(dt: datetime, lang: str | None, now: datetime) -> str:
    """A moment as words that follow a verb: "mañana a las 9:00", "on Monday, November 30 at …".

    `dt` is shown on its own wall clock (pass it in the user's time zone); `now` decides "today".
    """
    code = as_lang(lang) or DEFAULT_LANG
    if dt.tzinfo is not None and now.tzinfo is not None:
        now = now.astimezone(dt.tzinfo)
    at_key = "when.at_one" if dt.hour == 1 else "when.at"  # Spanish "a la 1:30", "a las 2:00"
    at = t(at_key, code, time=_clock(dt, code))
    days = (dt.date() - now.date()).days
    if days == 0:
        return t("when.today", code, at=at)
    if days == 1:
        return t("when.tomorrow", code, at=at)
    if days == -1:
        return t("when.yesterday", code, at=at)
    parts = {
        "weekday": t(f"when.weekdays.{_WEEKDAYS[dt.weekday()]}", code),
        "day": dt.day,
        "month": t(f"when.months.{_MONTHS[dt.month - 1]}", code),
        "year": dt.year,
        "at": at,
    }
    same_year = dt.year == now.year or 0 < days <= _YEAR_HIDDEN_DAYS
    return t("when.date" if same_year else "when.date_year", code, **parts)


def _clock(dt: datetime, lang: Lang) -> str:
    """ "15:05" in Spanish, "3:05 PM" in English."""
    if lang in _TWELVE_HOUR:
        hour = dt.hour % 12 or 12
        return f"{hour}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"
    return f"{dt.hour}:{dt.minute:02d}"
