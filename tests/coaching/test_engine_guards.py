"""The literal scan's antipattern guards: a rule's antipatterns are searched only when the text
holds one of the literals their matches need."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coaching import engine
from coaching.engine import antipattern_literals, literal_mask, rule_set, run_rules
from coaching.normalize import fold
from coaching.rules import RULES
from tests.coaching.labelled import TEXTS

GUARDED = [r for r in RULES if antipattern_literals(r) is not None]


def test_most_rules_with_antipatterns_are_guarded() -> None:
    with_antipatterns = [r for r in RULES if r.antipatterns]
    assert len(GUARDED) > len(with_antipatterns) // 2
    rules = rule_set(GUARDED)
    assert all(g > rules.pairs_mask for g in rules.guards)  # bits of their own


def test_an_unknown_antipattern_leaves_the_rule_unguarded() -> None:
    rule = next(r for r in RULES if r.antipatterns)
    bare = replace(rule, antipatterns=(engine.re.compile(r"\w+ \w+"),))
    assert antipattern_literals(bare) is None
    assert antipattern_literals(replace(rule, antipatterns=())) is None
    assert rule_set([bare]).guards == (-1,)


def test_a_text_without_the_literals_searches_no_antipattern(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same rules with every guard open (-1) search more, and find the same."""
    searched = [0]
    real = engine._blocked

    def counting(blockers: tuple[engine.re.Pattern[str], ...], text: str, scope: object) -> bool:
        searched[0] += 1
        return real(blockers, text, scope)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "_blocked", counting)
    for lang in ("es", "en"):
        guarded = rule_set([r for r in GUARDED if r.lang == lang and r.category != "abuse"])
        open_ = replace(guarded, guards=(-1,) * len(guarded.guards))
        calls = {}
        for rules in (guarded, open_):
            searched[0] = 0
            found = []
            for text in TEXTS:
                folded = fold(text)
                mask = literal_mask(rules, folded.text)
                found.append(run_rules(folded, rules, lang, lambda: "usted", mask))  # type: ignore[arg-type]
            calls[rules is guarded] = (searched[0], found)
        assert calls[True][1] == calls[False][1]
        assert calls[True][0] < calls[False][0] // 2, lang


def test_the_guards_change_no_finding() -> None:
    """Every antipattern search a guard spares would have found nothing."""
    for rule in GUARDED:
        words = antipattern_literals(rule)
        assert words is not None
        for text in TEXTS[:300]:
            folded = fold(text).text
            if any(w in folded for w in words):
                continue
            for blocker in rule.antipatterns:
                assert blocker.search(folded) is None, (rule.id, text)
