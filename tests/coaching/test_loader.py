"""The rule loader: token lists with exceptions, [[marked]] flag examples, and clear errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

from coaching.engine import rule_set, run_rules
from coaching.normalize import fold
from coaching.rules import loader


def _entry(**extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "defensive.es.test",
        "explanation": "Por qué.",
        "suggestion": {"usted": "Así.", "tu": "Así.", "vos": "Así."},
        "tip": 6,
    }
    entry.update(extra)
    return entry


def _rule(**extra: Any) -> loader.Rule:
    return loader._rule(_entry(**extra), "defensive", "es", "test.yml", {})


def _rules(rule: loader.Rule, text: str) -> list[str]:
    return [f.excerpt for f in run_rules(fold(text), rule_set([rule]), "es", lambda: "usted")]


def test_tokens_match_folded_whole_words_and_exceptions_excuse_what_they_overlap() -> None:
    rule = _rule(
        type="tokens",
        tokens=["Cálmese", "no se altere"],
        exceptions=["relájese y cálmese en el spa"],
    )
    assert _rules(rule, "CALMESE por favor") == ["CALMESE"]
    assert _rules(rule, "No  se   altere, señora") == ["No  se   altere"]
    assert _rules(rule, "descalmese") == []  # not a whole word
    assert _rules(rule, "Relájese y cálmese en el spa, la cita es a las 5") == []
    assert _rules(rule, "Relájese y cálmese en el spa. Y usted, cálmese.") == ["cálmese"]


def test_a_tokens_rule_needs_tokens_and_only_it_has_them() -> None:
    with pytest.raises(ValueError, match="tokens rule"):
        _rule(type="tokens", patterns=["x"])
    with pytest.raises(ValueError, match="tokens rule"):
        _rule(patterns=["x"], tokens=["y"])


def test_marked_flag_examples_give_the_text_and_the_span() -> None:
    rule = _rule(patterns=[r"\bcalmese\b"], flag=["Por favor, [[cálmese]] ya.", "Cálmese."])
    assert rule.flag == ("Por favor, cálmese ya.", "Cálmese.")
    assert rule.marks == ((11, 18), None)
    with pytest.raises(ValueError, match="at most one"):
        _rule(patterns=[r"\bx\b"], flag=["[[a]] y [[b]]"])


def test_every_flag_example_of_the_built_in_rules_is_marked() -> None:
    unmarked = [
        (r.id, line)
        for r in loader.RULES
        for line, mark in zip(r.flag, r.marks, strict=True)
        if mark is None
    ]
    assert unmarked == []


def test_a_lead_goes_with_the_rewrites_that_use_one() -> None:
    rule = _rule(patterns=[r"\bx\b"], rewrite="lead", lead={"usted": "Le", "tu": "Te", "vos": "Te"})
    assert (rule.lead_for("usted"), rule.lead_for("vos"), rule.lead_for("vosotros")) == (
        "Le",
        "Te",
        "Os",
    )
    with pytest.raises(ValueError, match="needs a lead"):
        _rule(patterns=[r"\bx\b"], rewrite="empathy-then")
    with pytest.raises(ValueError, match="only for the rewrites"):
        _rule(patterns=[r"\bx\b"], rewrite="drop", lead="Le resumo:")


# A file macro goes into its rules behind the lookahead of what its matches start with.
_MACRO = (
    r"(?:(?:se que )?(?:es|fue) (?:muy )?(?:molesto|dificil)|me hago cargo|lo (?:siento|lamento))"
)


def test_a_macro_with_known_first_words_is_put_behind_their_lookahead() -> None:
    led = loader._led(_MACRO)
    assert led.startswith("(?:(?=") and led.endswith(f"(?:{_MACRO}))")
    assert loader._led("(?:,? [a-z]{2,20})?") == "(?:,? [a-z]{2,20})?"  # may match nothing
    assert loader._led("@OTHER x") == "@OTHER x"  # another macro inside: not known here


@pytest.mark.parametrize(
    "text",
    [
        "es molesto",
        "se que fue muy dificil",
        "me hago cargo",
        "lo lamento",
        "lo lamentamos",
        "se que es",
        "muy molesto",
        "",
        "es  molesto",
        "ya me hago cargo",
    ],
)
def test_the_led_macro_matches_what_the_macro_matches(text: str) -> None:
    for where in range(len(text) + 1):
        plain = re.compile(_MACRO).match(text, where)
        led = re.compile(loader._led(_MACRO)).match(text, where)
        assert (plain and plain.span()) == (led and led.span())


def test_the_generic_formula_patterns_hold_their_macros_leads() -> None:
    (rule,) = [r for r in loader.RULES if r.id == "generic_empathy.es.formula-only"]
    # FEEL and FILLER, built from many formulas: behind a lookahead of their first words.
    assert all(p.pattern.count("(?:(?=") >= 2 for p in rule.patterns)
