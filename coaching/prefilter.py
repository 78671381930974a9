"""Literal pre-filters derived from rule regexes, so a clean line costs one fast search.

For each pattern we find a run of the regex that every match must contain as plain text (for
example one of "deberia|deberias|debio…"). A line that holds none of those literals cannot match.
"""

from __future__ import annotations

import re
from re import _parser as sre  # type: ignore[attr-defined]
from typing import Any

_MAX_SET = 3000
_MIN_LEN = 3
# Literals are cut to this many leading characters: every match still holds one of the prefixes,
# and the sets (and the regexes compiled from them at import) shrink from thousands to dozens.
_PREFIX = 6
Lits = frozenset[str] | None


def _item(op: Any, av: Any) -> Lits:
    """The strings one regex item can match, or None when unbounded or too many."""
    if op == sre.LITERAL:
        return frozenset({chr(av)})
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return frozenset({""})
    if op == sre.SUBPATTERN:
        return _seq(av[-1])
    if op == sre.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            sub = _seq(branch)
            if sub is None:
                return None
            out |= sub
        return frozenset(out) if len(out) <= _MAX_SET else None
    if op == sre.IN:
        chars = [chr(v) for o, v in av if o == sre.LITERAL]
        if len(chars) == len(av) and len(chars) <= 4:
            return frozenset(chars)
        return None
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] <= 1 and av[1] == 1:
        body = _seq(av[2])
        if body is None:
            return None
        return body if av[0] == 1 else body | {""}
    return None


def _join(a: frozenset[str], b: frozenset[str]) -> Lits:
    if len(a) * len(b) > _MAX_SET:
        return None
    return frozenset(x + y for x in a for y in b)


def _runs(items: Any) -> list[frozenset[str]]:
    """Literal sets of each maximal run of fixed items in a sequence."""
    runs: list[frozenset[str]] = []
    current: frozenset[str] | None = frozenset({""})
    for op, av in items:
        lits = _item(op, av)
        joined = _join(current, lits) if current is not None and lits is not None else None
        if joined is None:
            if current is not None and current != frozenset({""}):
                runs.append(current)
            current = lits if lits is not None else frozenset({""})
        else:
            current = joined
    if current is not None and current != frozenset({""}):
        runs.append(current)
    return runs


def _seq(items: Any) -> Lits:
    """All strings a fully fixed sequence can match, or None."""
    current: frozenset[str] = frozenset({""})
    for op, av in items:
        lits = _item(op, av)
        if lits is None:
            return None
        joined = _join(current, lits)
        if joined is None:
            return None
        current = joined
    return current


def required_literals(pattern: str | Any) -> frozenset[str] | None:
    """Strings of which every match of `pattern` contains one; None when none can be told.

    `pattern` is a regex string or its already parsed tree (`re._parser.parse`)."""
    best: frozenset[str] | None = None
    for run in _runs(sre.parse(pattern) if isinstance(pattern, str) else pattern):
        shortest = min(len(s) for s in run)
        if shortest >= _MIN_LEN and (best is None or shortest > min(len(s) for s in best)):
            best = run
    return None if best is None else frozenset(s[:_PREFIX] for s in best)


def trie_regex(words: set[str]) -> re.Pattern[str]:
    """One regex matching any of `words`, shaped as a trie so each position costs a few steps."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        if "" in node and len(node) == 1:
            return ""
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return re.compile(build(trie))
