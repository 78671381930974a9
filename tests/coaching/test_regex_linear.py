"""Every compiled rule pattern stays linear: no nested unbounded repetition; huge lines return."""

from __future__ import annotations

import re
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import pytest

from coaching import analyze
from coaching.rules import RULES

_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT}
_UNBOUNDED = sre_parse.MAXREPEAT


def _contains_unbounded(items: Any) -> bool:
    for op, av in items:
        if op in _REPEATS:
            _lo, hi, body = av
            if hi == _UNBOUNDED or _contains_unbounded(body):
                return True
        elif op == sre_parse.SUBPATTERN:
            if _contains_unbounded(av[-1]):
                return True
        elif op == sre_parse.BRANCH:
            if any(_contains_unbounded(b) for b in av[1]):
                return True
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT) and _contains_unbounded(av[1]):
            return True
    return False


def nested_unbounded(pattern: str) -> bool:
    """True when a repetition (other than ? ) contains an unbounded repetition, e.g. (\\w+\\s*)*."""

    def walk(items: Any) -> bool:
        for op, av in items:
            if op in _REPEATS:
                _lo, hi, body = av
                if hi > 1 and _contains_unbounded(body):
                    return True
                if walk(body):
                    return True
            elif op == sre_parse.SUBPATTERN:
                if walk(av[-1]):
                    return True
            elif op == sre_parse.BRANCH:
                if any(walk(b) for b in av[1]):
                    return True
            elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT) and walk(av[1]):
                return True
        return False

    return walk(sre_parse.parse(pattern))


PATTERNS = sorted(
    {(r.id, p.pattern) for r in RULES for p in (*r.patterns, *r.antipatterns)},
)


def test_guard_catches_the_classic_traps() -> None:
    assert nested_unbounded(r"(a+)+")
    assert nested_unbounded(r"(\w+\s*)*")
    assert nested_unbounded(r"(?:\w+ ){0,3}x")
    assert not nested_unbounded(r"(?:\w{1,30} ){0,3}x")
    assert not nested_unbounded(r"\bdeberia\b[^.]{0,80}?pero")


@pytest.mark.parametrize(("rule", "pattern"), PATTERNS, ids=[p[0] for p in PATTERNS])
def test_no_nested_unbounded_repetition(rule: str, pattern: str) -> None:
    assert not nested_unbounded(pattern), rule
    re.compile(pattern)


ADVERSARIAL = [
    "usted debería haber " * 2000,
    "a" * 40_000,
    " " * 40_000,
    "é" * 40_000,
    "comprendo " * 4000,
    "eres un " * 5000,
    "you should have " * 2500,
    "si hubiera " * 3600,
    "le prometo que " * 2600,
    "q" * 40_000,
    "aaa" + "\u0301" * 39_997,
    "> " * 20_000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
@pytest.mark.parametrize("role", ["agent", "customer"])
def test_huge_adversarial_lines_return(text: str, role: str) -> None:
    result = analyze(text, role=role)  # type: ignore[arg-type]
    assert all(f.excerpt == text[f.start : f.end] for f in result.findings)
