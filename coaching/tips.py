"""The seven calm-down tips and the seven steps for an angry customer, in Spanish and English.

The texts live in `coaching/tips/<lang>.yml`; each file is read once and cached. The cards'
headings are bot texts (`tips.title`, `steps.title` in bot/catalogue).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from coaching.model import Lang

LANGS: tuple[Lang, ...] = ("es", "en")


@dataclass(frozen=True)
class Tip:
    """One tip: what to do, why, and a line an agent could write."""

    number: int
    title: str
    text: str
    example: str


@dataclass(frozen=True)
class Step:
    """One step for handling an angry customer."""

    number: int
    title: str
    text: str


@dataclass(frozen=True)
class _Catalogue:
    tips: tuple[Tip, ...]
    steps: tuple[Step, ...]


def _field(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _number(entry: dict[str, Any], expected: int, where: str) -> int:
    value = entry.get("number")
    if value != expected:
        raise ValueError(f"{where}: expected number {expected}, got {value!r}")
    return expected


@cache
def _load(lang: Lang) -> _Catalogue:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    source = resources.files("coaching").joinpath("tips", f"{lang}.yml")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    tips = tuple(
        Tip(
            number=_number(e, i, f"{lang} tip {i}"),
            title=_field(e, "title", f"{lang} tip {i}"),
            text=_field(e, "text", f"{lang} tip {i}"),
            example=_field(e, "example", f"{lang} tip {i}"),
        )
        for i, e in enumerate(data["tips"], start=1)
    )
    steps = tuple(
        Step(
            number=_number(e, i, f"{lang} step {i}"),
            title=_field(e, "title", f"{lang} step {i}"),
            text=_field(e, "text", f"{lang} step {i}"),
        )
        for i, e in enumerate(data["steps"], start=1)
    )
    return _Catalogue(tips=tips, steps=steps)


def tips(lang: Lang) -> tuple[Tip, ...]:
    """The seven tips, numbered 1 to 7."""
    return _load(lang).tips


def tip(n: int, lang: Lang) -> Tip:
    """Tip number `n` (1–7); raises KeyError for any other number."""
    all_tips = _load(lang).tips
    if not 1 <= n <= len(all_tips):
        raise KeyError(n)
    return all_tips[n - 1]


def steps(lang: Lang) -> tuple[Step, ...]:
    """The seven steps for an angry customer, numbered 1 to 7."""
    return _load(lang).steps
