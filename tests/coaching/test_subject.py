"""coaching/subject.py: the lazy tokenisers read what the whole window would, and the spans
they give end where the words do."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.subject import (
    _WINDOW,
    _token_end,
    _tokens,
    _tokens_before,
    _words_after,
    blame_en,
    blame_es,
)

# Words, long runs of letters (cut at 30), apostrophes and hyphens, spaces of every kind.
PIECES = st.sampled_from(
    [
        "usted ",
        "ya ",
        "lo ",
        "it's",
        "-",
        "'",
        " ",
        "  ",
        "\t",
        "\n",
        "\u00a0",
        ".",
        ",",
        "1",
        "a" * 35,
        "debe",
        "ñ",
        "É",
        "x",
        "Ab",
        "\x1c",
        "\u2028",
        "\u3000",
        "a" * 30,
    ]
)
TEXT = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=TEXT, data=st.data())
def test_tokens_before_reads_the_whole_window_backwards(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    whole = _tokens(text, max(0, start - _WINDOW), start)
    assert list(_tokens_before(text, start)) == [(w, s) for w, s, _ in reversed(whole)]


@settings(max_examples=300, deadline=None)
@given(text=TEXT, data=st.data())
def test_words_after_stop_at_the_first_token_that_is_not_a_word(
    text: str, data: st.DataObject
) -> None:
    end = data.draw(st.integers(0, len(text)))
    whole = _tokens(text, end, min(len(text), end + _WINDOW))
    words = []
    for word, _, word_end in whole:
        if not word[0].isalpha():
            break
        words.append((word, word_end))
    after = _words_after(text, end)
    assert after == [w for w, _ in words]
    assert [_token_end(text, end, k) for k in range(len(after))] == [e for _, e in words]


@pytest.mark.parametrize(
    ("blame", "text", "modal", "span"),
    [
        # The inverted subject is left out of the words, not out of the span's end.
        (blame_es, "debio usted haber revisado el correo", "debio", "debio usted haber revisado"),
        (
            blame_es,
            "tendrias vos que haber llamado antes",
            "tendrias",
            "tendrias vos que haber llamado",
        ),
        (blame_es, "usted deberia haber leido el contrato", "deberia", "usted deberia haber leido"),
        (blame_es, "ya deberias saberlo", "deberias", "deberias saberlo"),
        (blame_en, "you should have been more careful", "should have", "you should have been more"),
        (blame_en, "had you read the terms", "had", "had you read"),
        (blame_en, "you should already know this", "should", "you should already know"),
        (blame_en, "you should have checked the box", "should have", "you should have checked"),
    ],
)
def test_span_ends_at_the_verb(
    blame: Callable[[str, int, int], tuple[int, int] | None], text: str, modal: str, span: str
) -> None:
    start = text.index(modal)
    found = blame(text, start, start + len(modal))
    assert found is not None
    assert text[found[0] : found[1]] == span
