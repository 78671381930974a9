"""Every rule's own examples, and a guard that every rule carries enough of them."""

from __future__ import annotations

from collections import Counter

import pytest

from coaching import analyze
from coaching.model import CATEGORIES
from coaching.rules import RULES, Rule


def _role(rule: Rule) -> str:
    return "customer" if rule.category == "abuse" else "agent"


CASES = [(r, "flag", line) for r in RULES for line in r.flag] + [
    (r, "pass", line) for r in RULES for line in r.pass_
]


@pytest.mark.parametrize(
    ("rule", "kind", "line"), CASES, ids=[f"{r.id}:{k}:{i}" for i, (r, k, _) in enumerate(CASES)]
)
def test_rule_example(rule: Rule, kind: str, line: str) -> None:
    findings = analyze(line, role=_role(rule), lang=rule.lang).findings  # type: ignore[arg-type]
    if kind == "flag":
        assert rule.id in {f.rule for f in findings}, line
    else:
        assert not [f for f in findings if f.category == rule.category], line


def test_every_rule_has_examples_of_both_kinds() -> None:
    thin = [r.id for r in RULES if len(r.flag) < 2 or len(r.pass_) < 2]
    assert thin == []


def test_ids_unique_and_named_after_their_file() -> None:
    counts = Counter(r.id for r in RULES)
    assert [i for i, n in counts.items() if n > 1] == []
    for r in RULES:
        assert r.source == f"{r.category}.{r.lang}.yml"
        assert r.id.startswith(f"{r.category}.{r.lang}.")
        assert r.category in CATEGORIES


def test_tips_explanations_and_suggestions() -> None:
    for r in RULES:
        assert 1 <= r.tip <= 7
        assert r.explanation.strip()
        assert all(text.strip() for _, text in r.suggestions)
        if r.lang == "es" and r.category != "abuse":
            assert {k for k, _ in r.suggestions} == {"usted", "tu", "vos"}, r.id
    assert {r.tip for r in RULES} == set(range(1, 8))


def test_every_category_has_rules_in_both_languages() -> None:
    assert {(r.category, r.lang) for r in RULES} == {
        (c, lang) for c in CATEGORIES for lang in ("es", "en")
    }
