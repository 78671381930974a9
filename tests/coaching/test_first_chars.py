"""coaching/first_chars.py: the INFO charset added to compiled code changes where `re` tries a
match, never what it finds."""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching import first_chars
from coaching.rules import RULES


def _compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    tree = _parser.parse(pattern, flags)
    names: list[str | None] = [None] * tree.state.groups
    for name, i in tree.state.groupdict.items():
        names[i] = name
    code = [int(c) for c in first_chars.code(tree, flags)]
    groups = dict(tree.state.groupdict)
    return _sre.compile(  # type: ignore[no-any-return]
        pattern, flags | tree.state.flags, code, tree.state.groups - 1, groups, tuple(names)
    )


def _has_charset(pattern: str, flags: int = 0) -> bool:
    code = first_chars.code(_parser.parse(pattern, flags), flags)
    return code[0] == C.INFO and code[2] == C.SRE_INFO_CHARSET


@pytest.mark.parametrize(
    "pattern",
    [
        r"\b(?:usted|vos) deberia",  # a word boundary first: re finds no prefix itself
        r"(?<![a-z])(?:ya|tu) sabes",  # a lookbehind first
        r"(?:^|[,.] {0,3})oye",  # an alternative that is only an anchor, then a literal
        r"\b(?:al )?(?:100|cien) ?%",  # an optional group first
        r"(?=\w)\b(?:hola|buenas)",  # a lookahead first
    ],
)
def test_a_pattern_led_by_an_assertion_gets_the_characters_it_starts_with(pattern: str) -> None:
    assert _has_charset(pattern)
    # re's own code has no such set: that is what the search was missing
    plain = _compiler_code(pattern)
    assert plain[0] == C.INFO and plain[2] == 0


def _compiler_code(pattern: str) -> list[int]:
    from re import _compiler  # type: ignore[attr-defined]

    return list(_compiler._code(_parser.parse(pattern, 0), 0))


@pytest.mark.parametrize(
    "pattern",
    [
        r"^hola\b",  # anchored at the start: re stops after the first position already
        r"\Ahola",
        r"\b.olas",  # any character may start a match
        r"\b[^a-z]x",  # a negated class
        r"\b(?:x)?",  # may match empty
        r"(?i)\bhola",  # case-insensitive sets are left to re
        r"hola",  # re found the literal prefix itself
    ],
)
def test_no_set_where_it_would_not_hold_or_not_help(pattern: str) -> None:
    assert not _has_charset(pattern)


TEXTS = [
    "Usted debería haber leído, ¿vos sabés?",
    "oye, ya tu sabes que es al 100 % seguro",
    "hola buenas, 100% garantizado; cien %",
    "",
    "x",
    "a.b,c oye oye",
]


def test_every_built_in_rule_pattern_finds_the_same_matches() -> None:
    for rule in RULES:
        for p in (*rule.patterns, *rule.antipatterns):
            charset = _compile(p.pattern, p.flags & ~re.UNICODE)
            examples = [*rule.flag, *rule.pass_, *TEXTS]
            for text in examples:
                low = text.lower()
                got = [m.span() for m in charset.finditer(low)]
                assert got == [m.span() for m in p.finditer(low)], (rule.id, p.pattern, text)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("(?:a|)b", "xb ab"),  # an empty alternative: what follows may start a match too
        (r"\b(?:x)?b", "b xb ab"),  # an optional group
        (r"(?<![a-z])c*d", "d cd acd"),  # a repetition that may be empty
        (r"(?:^|, )oye", "oye, oye"),  # an alternative that is only an anchor
        (r"\b(?:(?:al )?100|cien)%", "100% al 100% cien%"),
    ],
)
def test_what_may_be_skipped_over_adds_what_follows(pattern: str, text: str) -> None:
    assert [m.span() for m in _compile(pattern).finditer(text)] == [
        m.span() for m in re.finditer(pattern, text)
    ]


_ATOMS = st.sampled_from(
    [
        *(r"\b", r"(?<![a-z])", r"(?=[a-z])", "a", "ab", "[ab]", r"\d", " ", "(?:a|bc)"),
        *("(?:x)?", "c*", "(?:a|)", "(?:|b)"),
    ]
)


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(_ATOMS, min_size=1, max_size=5), text=st.text("abcx1 .", max_size=30))
def test_matches_are_the_same_for_any_pattern_and_text(parts: list[str], text: str) -> None:
    pattern = "".join(parts)
    ours = _compile(pattern)
    theirs = re.compile(pattern)
    assert [m.span() for m in ours.finditer(text)] == [m.span() for m in theirs.finditer(text)]
    assert [m.span() for m in ours.finditer(text, 2, 20)] == [
        m.span() for m in theirs.finditer(text, 2, 20)
    ]
