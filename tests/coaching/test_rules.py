"""Every rule's own examples, and a guard that every rule carries enough of them."""

from __future__ import annotations

import re
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


MARKED = [
    (r, line, span) for r in RULES for line, span in zip(r.flag, r.marks, strict=True) if span
]


@pytest.mark.parametrize(
    ("rule", "line", "span"), MARKED, ids=[f"{r.id}:mark:{i}" for i, (r, _, _) in enumerate(MARKED)]
)
def test_marked_span_is_what_the_rule_reports(rule: Rule, line: str, span: tuple[int, int]) -> None:
    findings = analyze(line, role=_role(rule), lang=rule.lang).findings  # type: ignore[arg-type]
    spans = [(f.start, f.end) for f in findings if f.rule == rule.id]
    assert span in spans, f"{line!r}: marked {line[span[0] : span[1]]!r}, got {spans}"


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


# Imperatives and pronouns that would address the agent as usted. Explanations speak to the agent
# in tú (like the bot's catalogue); suggestions are lines for the customer and keep their register.
_USTED_TO_AGENT = re.compile(
    r"\b(?:usted|su caso|diga|explique|parta|ofrezca|act[uú]e|repita|evite|intente|recuerde|"
    r"piense|pregunte|escuche|pruebe|ponga|muestre|pida|escriba|revise|mantenga|respire|"
    r"reconozca|d[ií]gale|expl[ií]quele|preg[uú]ntele|ofr[eé]zcale|nombre lo)\b",
    re.IGNORECASE,
)


def test_spanish_explanations_talk_to_the_agent_in_tu() -> None:
    offending = [
        (r.id, m.group())
        for r in RULES
        if r.lang == "es"
        for m in [_USTED_TO_AGENT.search(r.explanation)]
        if m
    ]
    assert offending == []


def test_spanish_suggestions_keep_the_customers_register() -> None:
    tu_words = re.compile(r"\b(?:te|ti|tú|tus?|contigo)\b", re.IGNORECASE)
    usted_words = re.compile(r"\b(?:usted|ustedes|le|les|sus?)\b", re.IGNORECASE)
    for r in RULES:
        if r.lang != "es" or r.category == "abuse":
            continue
        forms = dict(r.suggestions)
        assert not tu_words.search(forms["usted"]), r.id
        assert not usted_words.search(forms["tu"]), r.id
        assert not usted_words.search(forms["vos"]), r.id
