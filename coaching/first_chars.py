"""Compiled regex code that skips, in C, the positions where no match can start.

`re` searches a pattern that starts with a literal or a character class by skipping every
position whose character cannot start a match (the compiled code's INFO block carries that
"charset"). A pattern that starts with "\\b", a lookbehind or a lookahead gets no such block, so
the search tries the whole pattern at every position of the text — most of what a rule regex
costs on a chat line. `code` adds the block when `re` did not: the characters any match can start
with, worked out from the parsed pattern past its zero-width assertions. The search then tries the
whole pattern (assertions included) only where one of them stands, so matches are the same.
"""

from __future__ import annotations

from re import _compiler, _constants  # type: ignore[attr-defined]
from typing import Any

_C = _constants
_ZERO_WIDTH = frozenset({_C.AT, _C.ASSERT, _C.ASSERT_NOT})
_REPEATS = frozenset({_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT})
# A search of a pattern anchored at the text's start stops after the first position already.
_ANCHORS = frozenset({_C.AT_BEGINNING, _C.AT_BEGINNING_STRING})

# (charset items, whether the part can match empty); None: any character can start a match.
_First = tuple[list[tuple[Any, Any]], bool] | None


def _first_of(items: Any) -> _First:
    """The characters a match of the sequence `items` ((op, argument) pairs) can start with."""
    out: list[tuple[Any, Any]] = []
    for op, av in items:
        first = _first_one(op, av)
        if first is None:
            return None
        chars, empty = first
        out += chars
        if not empty:
            return out, False
    return out, True


def _first_one(op: Any, av: Any) -> _First:
    if op in _ZERO_WIDTH:
        return [], True
    if op is _C.LITERAL:
        return [(op, av)], False
    if op is _C.IN:
        return None if any(o is _C.NEGATE for o, _ in av) else (list(av), False)
    if op is _C.BRANCH:
        out: list[tuple[Any, Any]] = []
        empty = False
        for alternative in av[1]:
            first = _first_of(alternative.data)
            if first is None:
                return None
            out += first[0]
            empty = empty or first[1]
        return out, empty
    if op is _C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return None if add_flags & _C.SRE_FLAG_IGNORECASE else _first_of(sub.data)
    if op is _C.ATOMIC_GROUP:
        return _first_of(av.data)
    if op in _REPEATS:
        low, _high, item = av
        first = _first_of(item.data)
        return None if first is None else (first[0], first[1] or low == 0)
    return None  # any character, a negated literal, a group reference: no useful set


def _anchored(data: Any) -> bool:
    """True when the pattern starts with "^" (not multiline) or "\\A"."""
    while data and data[0][0] is _C.SUBPATTERN:
        data = data[0][1][3].data
    return bool(data) and data[0][0] is _C.AT and data[0][1] in _ANCHORS


def code(tree: Any, flags: int) -> list[int]:
    """`re`'s compiled code for the parsed pattern `tree`, with the characters a match starts
    with in its INFO block when `re` found neither a literal prefix nor such a set."""
    words: list[int] = _compiler._code(tree, flags)
    all_flags = flags | tree.state.flags
    if (
        words[0] != _C.INFO
        or words[2] != 0  # `re` found a prefix or a charset itself
        or words[3] == 0  # a match may be empty: no first character to look for
        or all_flags & (_C.SRE_FLAG_IGNORECASE | _C.SRE_FLAG_LOCALE)
        or _anchored(tree.data)
    ):
        return words
    first = _first_of(tree.data)
    if first is None or first[1] or not first[0]:
        return words
    charset, _cased = _compiler._optimize_charset(first[0])
    info = [_C.INFO, 0, _C.SRE_INFO_CHARSET, words[3], words[4]]
    _compiler._compile_charset(charset, all_flags, info)
    info[1] = len(info) - 1
    return info + words[1 + words[1] :]
