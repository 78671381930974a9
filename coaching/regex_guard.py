"""Refuse a regular expression that could backtrack catastrophically, before it ever runs.

Python's `re` backtracks: `(a+)+b` on a long run of "a" takes exponential time. The built-in
rules keep every repetition bounded or un-nested (tests/coaching/test_regex_linear.py); a team's
own pattern must pass the same guard, and a little more: no unbounded repetition of an
alternation (`(a|a)*`), and no backreferences.
"""

from __future__ import annotations

import re
from re import _parser as sre  # type: ignore[attr-defined]
from typing import Any

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}
_UNBOUNDED = sre.MAXREPEAT
MAX_PATTERN = 2000  # characters of one team pattern


def _children(op: Any, av: Any) -> list[Any]:
    """The sub-patterns inside one parsed item."""
    if op in _REPEATS:
        return [av[2]]
    if op == sre.SUBPATTERN:
        return [av[-1]]
    if op == sre.BRANCH:
        return list(av[1])
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [av[1]]
    if op == sre.GROUPREF_EXISTS:
        return [b for b in av[1:] if b is not None]
    return []


def _has(items: Any, test: Any) -> bool:
    """Whether any item at any depth satisfies `test(op, av)`."""
    return any(test(op, av) or any(_has(c, test) for c in _children(op, av)) for op, av in items)


def _unbounded(op: Any, av: Any) -> bool:
    return op in _REPEATS and av[1] == _UNBOUNDED


def problem(pattern: str) -> str | None:
    """Why `pattern` is refused (in English, for the admin), or None when it is safe to run."""
    if len(pattern) > MAX_PATTERN:
        return f"longer than {MAX_PATTERN} characters"
    try:
        re.compile(pattern)
        parsed = sre.parse(pattern)
    except re.error as exc:
        return f"not a regular expression ({exc})"
    if _has(parsed, lambda op, av: op in (sre.GROUPREF, sre.GROUPREF_EXISTS)):
        return "a backreference can backtrack without bound"

    def nested(op: Any, av: Any) -> bool:  # (a+)+, (\w+\s*)*
        return op in _REPEATS and av[1] > 1 and _has(av[2], _unbounded)

    def repeated_choice(op: Any, av: Any) -> bool:  # (a|a)*
        return _unbounded(op, av) and _has(av[2], lambda o, _a: o == sre.BRANCH)

    if _has(parsed, nested):
        return "a repetition inside a repetition can backtrack catastrophically"
    if _has(parsed, repeated_choice):
        return "an unbounded repetition of alternatives can backtrack catastrophically"
    return None
