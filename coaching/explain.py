"""A finding explained in the reader's language: the rule's own words, or its counterpart's."""

from __future__ import annotations

from coaching.model import Finding, Lang
from coaching.rules import RULES, Rule

_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}


def counterpart(rule_id: str, lang: Lang) -> Rule | None:
    """The same rule in `lang` ("defensive.es.empathy-but" -> "defensive.en.empathy-but")."""
    rule = _BY_ID.get(rule_id)
    if rule is None:
        return None
    if rule.lang == lang:
        return rule
    category, _, slug = rule_id.split(".", 2)
    return _BY_ID.get(f"{category}.{lang}.{slug}")


def explanation_in(finding: Finding, lang: Lang) -> str | None:
    """Why the finding may hurt, in `lang`; None when no rule of `lang` says it."""
    rule = counterpart(finding.rule, lang)
    if rule is None:
        return None
    return rule.explain(finding.excerpt)
