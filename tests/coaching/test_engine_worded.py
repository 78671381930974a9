"""Suggestions and leads that read the same in every form of address: the register (a scan of
the whole message) is not worked out for them."""

from __future__ import annotations

from coaching.engine import rule_set, run_rules
from coaching.model import Register
from coaching.normalize import fold
from coaching.rules import RULES

REGISTERS: tuple[Register, ...] = ("usted", "tu", "vos", "vosotros", "you")


def _never() -> Register:
    raise AssertionError("the register was worked out")


def test_worded_is_the_one_text_every_register_gives() -> None:
    rules = rule_set(RULES)
    for rule, (suggestion, lead) in zip(rules.rules, rules.worded, strict=True):
        texts = {rule.suggestion_for(r) for r in REGISTERS}
        assert suggestion == (texts.pop() if len(texts) == 1 else None), rule.id
        leads = {rule.lead_for(r) for r in REGISTERS} if rule.leads else {None, ""}
        assert lead == (leads.pop() if len(leads) == 1 else None), rule.id


def test_a_suggestion_the_register_does_not_change_needs_no_register() -> None:
    same = [
        r
        for r in RULES
        if len(r.suggestions) > 1
        and r.rewrite is None
        and len({r.suggestion_for(g) for g in REGISTERS}) == 1
    ]
    assert same  # several texts written out, all alike
    found = 0
    for rule in same:
        rules = rule_set([rule])
        for text in rule.flag:
            for finding in run_rules(fold(text), rules, rule.lang, _never):
                assert finding.suggestion == rule.suggestion_for("usted")
                found += 1
    assert found
