"""Why a finding may hurt, in the reader's language: the rule's own twin, else the catalogue."""

from __future__ import annotations

from bot.i18n import Lang, t
from coaching.explain import explanation_in
from coaching.model import Finding


def explain(f: Finding, lang: Lang) -> str:
    """Why the finding may hurt, in the reader's language (the excerpt stays as written)."""
    return explanation_in(f, lang) or t(f"why.{f.category}", lang)
