"""Literal pre-filters derived from rule regexes, so a clean line costs one fast search.

For each pattern we find a run of the regex that every match must contain as plain text (for
example one of "deberia|deberias|debio…"). A line that holds none of those literals cannot match.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from re import _parser as sre  # type: ignore[attr-defined]
from typing import Any

_MAX_SET = 3000
_MIN_LEN = 3
# A pattern with no literal set of `_MIN_LEN` ("(?:hp|hpta|gonorrea)", "(?:ja){2,}no") would run
# on every line: a set of two letters (or of one character outside ASCII, an emoji) still
# rules out most lines, so it is taken when there is no longer one.
_SHORT_LEN = 2
# A fixed body repeated at least twice ("(?:ja){2,}") is held as that many copies of it, up to
# this many characters.
_REPEAT_MAX = 12
# Literals are cut to this many leading characters: every match still holds one of the prefixes,
# and the sets (and the regexes compiled from them at import) shrink from thousands to dozens.
# Eight, not six: "it is " or "deberi" alone picks many patterns a line cannot match; cut at
# eight, the literal scan picks about half as many (the 30,000 mixed lines of bench_floor.py).
_PREFIX = 8
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


def _best(candidates: list[frozenset[str]]) -> Lits:
    """The set whose shortest literal is longest (the first of equals): it rules out most lines."""
    best: Lits = None
    for lits in candidates:
        if best is None or min(len(s) for s in lits) > min(len(s) for s in best):
            best = lits
    return best


def _candidates(items: Any, ahead: bool = False, least: int = _MIN_LEN) -> list[frozenset[str]]:
    """Literal sets of which every match of the sequence `items` contains one (as a substring).

    Each maximal run of fixed items gives one; so does every item that is not fixed but must
    match once: a group, an alternation whose every branch holds literals, a repeat of at least
    one. Sets whose shortest literal is under `least` characters are left out.

    `ahead`: sets of which every text holding a match contains one: a lookahead's fixed text
    also counts, joined to the fixed run before it (it is in the text right after it), and a
    set whose every literal holds a character outside ASCII is kept however short.
    """
    out: list[frozenset[str]] = []
    current: frozenset[str] = frozenset({""})
    for op, av in items:
        if ahead and op == sre.ASSERT and av[0] == 1:
            read = _seq(av[1])  # what the lookahead reads, when fixed
            seen = _join(current, read) if read is not None else None
            if seen is not None:
                out.append(seen)
            continue  # zero width: the run goes on from the same place
        lits = _item(op, av)
        joined = _join(current, lits) if lits is not None else None
        if joined is not None:
            current = joined
            continue
        out.append(current)
        current = lits if lits is not None else frozenset({""})
        if lits is None:
            inner = _inner(op, av, ahead, least)
            if inner is not None:
                out.append(inner)
    out.append(current)
    return [lits for lits in out if _long_enough(lits, ahead, least)]


def _long_enough(lits: frozenset[str], ahead: bool, least: int = _MIN_LEN) -> bool:
    if min(len(s) for s in lits) >= least:
        return True
    if least < _MIN_LEN:  # the short sets' fallback: a character outside ASCII is rare enough
        return all(len(s) >= least or (s and not s.isascii()) for s in lits)
    return ahead and all(s and not s.isascii() for s in lits)


def _inner(op: Any, av: Any, ahead: bool = False, least: int = _MIN_LEN) -> Lits:
    """Literals every match of one item that is not fixed contains, or None."""
    if op == sre.SUBPATTERN:
        return _best(_candidates(av[-1], ahead, least))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
        return _repeated(av[2], av[0]) or _best(_candidates(av[2], ahead, least))
    if op == sre.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            lits = _best(_candidates(branch, ahead, least))
            if lits is None:
                return None
            out |= lits
        return frozenset(out) if len(out) <= _MAX_SET else None
    return None


def _repeated(body: Any, times: int) -> Lits:
    """The texts of a fixed `body` matched `times` times in a row, when they are longer than
    one copy yet at most `_REPEAT_MAX` characters ("(?:ja){2,}": "jaja"); else None."""
    once = _seq(body)
    if times < 2 or once is None or not once or min(len(s) for s in once) == 0:
        return None
    out = once
    for _ in range(times - 1):
        joined = _join(out, once)
        if joined is None or max(len(s) for s in joined) > _REPEAT_MAX:
            break
        out = joined
    return out if out is not once else None


def required_literals(
    pattern: str | Any, cut: int | None = _PREFIX, short: bool = False
) -> frozenset[str] | None:
    """Strings of which every match of `pattern` contains one; None when none can be told.

    Of every literal set the pattern's structure guarantees, the one whose shortest literal is
    longest, cut to its first `cut` characters (None: whole). `short`: when no set has
    literals of `_MIN_LEN`, one of `_SHORT_LEN` (or of characters outside ASCII) will do.
    `pattern` is a regex string or its already parsed tree (`re._parser.parse`)."""
    tree = sre.parse(pattern) if isinstance(pattern, str) else pattern
    best = _best(_candidates(tree))
    if best is None and short:
        best = _best(_candidates(tree, least=_SHORT_LEN))
    return None if best is None else _cut(best, cut)


def text_literals(pattern: str | Any, cut: int | None = _PREFIX) -> frozenset[str] | None:
    """Strings of which every text holding a match of `pattern` contains one (None when none
    can be told), cut like `required_literals`': its literals, and also what lookaheads read
    and short literals outside ASCII (`_candidates`' `ahead`). Such a literal may lie partly
    past the match: for choosing the patterns to run on a text, not for windows around them.

    `pattern` is a regex string or its already parsed tree (`re._parser.parse`)."""
    tree = sre.parse(pattern) if isinstance(pattern, str) else pattern
    best = _best(_candidates(tree, ahead=True))
    return None if best is None else _cut(best, cut)


def other_literals(
    pattern: str | Any, cut: int | None = _PREFIX, most: int = 3, largest: int = _MAX_SET
) -> list[frozenset[str]]:
    """Other literal sets every match of `pattern` holds one of, besides `required_literals`'s
    (at most `most` of at most `largest` literals each, those whose shortest literal is longest
    first, each cut like it, none equal to it): a text must hold a literal of each of them too,
    which rules out more texts than one set alone.

    `pattern` is a regex string or its already parsed tree (`re._parser.parse`)."""
    found = _candidates(sre.parse(pattern) if isinstance(pattern, str) else pattern)
    best = _best(found)
    seen = set() if best is None else {_cut(best, cut)}
    out: list[frozenset[str]] = []
    for lits in sorted(found, key=lambda ls: -min(map(len, ls))):
        cut_lits = _cut(lits, cut)
        if cut_lits in seen or len(cut_lits) > largest:
            continue
        seen.add(cut_lits)
        out.append(cut_lits)
        if len(out) == most:
            break
    return out


def _cut(lits: frozenset[str], cut: int | None) -> frozenset[str]:
    return lits if cut is None else frozenset(s[:cut] for s in lits)


def trie_regex(words: set[str]) -> re.Pattern[str]:
    """One regex matching any of `words`, shaped as a trie so each position costs a few steps."""
    return re.compile(trie_pattern(words))


def trie_pattern(words: set[str], classes: Mapping[str, str] | None = None) -> str:
    """The source of `trie_regex(words)`; `classes`: characters standing for a class of them,
    written as that class's source (`leading_pattern`'s digit and space)."""
    known = classes or {}
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        if "" in node and len(node) == 1:
            return ""
        alts = [
            (known.get(ch) or re.escape(ch)) + build(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


# A digit where a match may start (`leading_pattern` writes it as "\d"), and a white space
# character ("\s"): "a las" starts "a\s", so "atenta" fails the lookahead at its second letter.
_DIGIT = "\x00"
_SPACE = "\x01"
_LEAD_CUT = 4  # characters of a match's start kept: enough to tell the first words apart
_DIGITS = ((sre.IN, [(sre.CATEGORY, sre.CATEGORY_DIGIT)]),)
_SPACES = [(sre.CATEGORY, sre.CATEGORY_SPACE)]


def _lead(items: list[Any], budget: int) -> set[str] | None:
    """Strings one of which every match of `items` starts with ("" in it: any start), each at
    most `budget` characters (a digit class as `_DIGIT`); None when too many."""
    if budget == 0 or not items:
        return {""}
    (op, av), rest = items[0], items[1:]
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return _lead(rest, budget)  # zero-width: the match starts with what follows
    if op == sre.LITERAL:
        tail = _lead(rest, budget - 1)
        return None if tail is None else {chr(av) + t for t in tail}
    if op == sre.IN and [(o, v) for o, v in av] == list(_DIGITS[0][1]):
        return {_DIGIT}
    if op == sre.IN and [(o, v) for o, v in av] == _SPACES:
        tail = _lead(rest, budget - 1)
        return None if tail is None else {_SPACE + t for t in tail}
    if op == sre.IN and all(o == sre.LITERAL for o, _ in av) and len(av) <= 8:
        tail = _lead(rest, budget - 1)
        return None if tail is None else {chr(v) + t for _, v in av for t in tail}
    if op == sre.SUBPATTERN:
        return _lead([*av[-1], *rest], budget)
    if op == sre.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            sub = _lead([*branch, *rest], budget)
            if sub is None or len(out | sub) > _MAX_SET:
                return None
            out |= sub
        return out
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        lo, _, body = av
        first = _lead(list(body), budget)  # a match of the body, cut: a start of it
        if first is None:
            return None
        if lo == 0:  # or the body is skipped
            skipped = _lead(rest, budget)
            return None if skipped is None else first | skipped
        return first
    return {""}  # any other item: a match may start with anything


def leading_pattern(pattern: str) -> str | None:
    """A lookahead source true wherever a match of `pattern` can start, built from the first
    characters every match starts with (a trie; "\\d" for a digit), or None when those are not
    known: `(?=...)` put before the pattern lets most positions fail after a few steps."""
    tree = sre.parse(pattern)
    if tree.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    lead = _lead(list(tree), _LEAD_CUT)
    if not lead or "" in lead:
        return None
    words = {s.split(_DIGIT)[0] for s in lead if s != _DIGIT}
    trie = trie_pattern(words, {_SPACE: r"\s"}) if words else ""
    alts = [a for a in (trie, r"\d" if _DIGIT in lead else "") if a]
    return "(?=" + "|".join(alts) + ")"
