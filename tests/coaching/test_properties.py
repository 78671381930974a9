"""Property: analyze never raises and every span is valid, for any Unicode text and both roles."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coaching import analyze

FRAGMENTS = st.sampled_from(
    [
        "usted debería haber ",
        "Ud ",
        "q ",
        "> ",
        "`",
        '"',
        "«",
        "¿",
        "pero ",
        "eres un inútil ",
        "you should have ",
        "aaaa",
        "\n",
        "\u200b",
        "é",
        "ﬁ",
        "İ",
    ]
)
TEXT = st.one_of(st.text(), st.lists(st.one_of(FRAGMENTS, st.text(max_size=5))).map("".join))


@settings(max_examples=300, deadline=None)
@given(text=TEXT, role=st.sampled_from(["agent", "customer"]))
def test_analyze_never_raises_and_spans_are_valid(text: str, role: str) -> None:
    result = analyze(text, role=role)  # type: ignore[arg-type]
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert f.excerpt == text[f.start : f.end]
    for u in result.followups:
        assert 0 <= u.start <= u.end <= len(text)


EDIT_PIECES = st.sampled_from(
    [
        *("q", "k", "xq", "ud", "uds", "tmb", "ntp", "ur", "uste", "u", "t", "e'", "n", "o", "h"),
        *("teniass", "iera", "ss", "aaa", "ee", "\u00ad", "\u200b", "\u0301", "\ufe0f", "\x07"),
        *(" ", "'", ",", ".", "\n", "a", "s", "`", '"', ">", "&gt;", "the "),
    ]
)


@settings(max_examples=500, deadline=None)
@given(text=st.lists(EDIT_PIECES, max_size=12).map("".join))
def test_the_quick_tests_before_folds_scans_never_skip_a_match(text: str) -> None:
    # fold skips the scans of _EDITS and _QUOTED on a text its quick tests rule out.
    from coaching.normalize import _EDITS, _QUOTED, _TABLE, _may_edit, letter_runs

    base = text.translate(_TABLE)
    if _EDITS.search(base):
        assert _may_edit(base, letter_runs(base))
    if _QUOTED.search(base):
        assert any(c in base for c in ("`", ">", '"', "'", "&gt;"))
