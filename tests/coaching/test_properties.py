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
