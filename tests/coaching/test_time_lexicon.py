"""The follow-up time lexicon's words are data (coaching/lexicon/times.yml), checked at import."""

from __future__ import annotations

import re

import pytest

from coaching import followup_times as ft


def test_lexicon_is_loaded_per_language() -> None:
    assert ft._ES_NUM["un par de"] == 2 and ft._ES_NUM["unos"] == ft.FEW
    assert ft._EN_NUM["a couple of"] == 2 and ft._EN_NUM["a few"] == ft.FEW
    assert ft._ES_WD["miercoles"] == 2 and ft._EN_WD["sunday"] == 6
    assert ft._ES_MONTHS["setiembre"] == 9 and ft._EN_MONTHS["dec"] == 12
    assert set(ft._ES_HOUR_WORDS.values()) == set(range(1, 13))
    assert set(ft._EN_HOUR_WORDS.values()) == set(range(1, 13))
    assert len(ft._ES_WD) == len(ft._EN_WD) == 7
    assert set(ft._ES_MONTHS.values()) == set(ft._EN_MONTHS.values()) == set(range(1, 13))


@pytest.mark.parametrize("bad", [["uno"], {"uno": "one"}, {"uno": True}, {1: 1}])
def test_a_bad_entry_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        ft._words(bad, "es.numbers")


def test_english_times_without_ago_find_the_same_where_there_is_no_ago() -> None:
    import json
    from pathlib import Path

    from coaching.normalize import fold

    data = Path(__file__).parent / "data"
    texts = [
        fold(str(json.loads(raw).get("text", ""))).text
        for name in ("followups1.jsonl", "followups2.jsonl", "realistic.jsonl", "heldout.jsonl")
        for raw in (data / name).read_text("utf-8").splitlines()
        if raw.strip()
    ]
    texts += ["i called 2 days ago, call me tomorrow at 3", "a week ago", "chicago at 5pm"]
    found = 0
    for text in texts:
        want = [(m.span(), m.lastgroup) for m in ft._EN.finditer(text)]
        if "ago" not in text:
            assert [(m.span(), m.lastgroup) for m in ft._EN_NO_AGO.finditer(text)] == want
        tokens = [ft._token(m, "en") for m in ft._EN.finditer(text)]
        assert ft.scan(text, "en", 0, len(text)) == [t for t in tokens if t is not None]
        found += len(want)
    assert found > 100
    ago = ft.scan("i wrote two days ago", "en", 0, 20)
    assert [t.day.kind for t in ago if t.day] == ["past"]


def test_deep_lead_reads_through_white_space_into_the_next_words() -> None:
    pattern = r"\b(?:el\s+(?:lunes|martes)|a\s+las?\s+\d|(?:en\s+)?\d+\s*h)"
    assert ft.deep_lead(pattern) == r"(?=(?:\d|a\s+la(?:\s+\d|s\s+)|e(?:l\s+(?:lun|mar)|n\s+\d)))"
    assert ft.deep_lead(r"\w+") == ""  # a match may start with anything
    assert ft.deep_lead(r"(?i)el\s+lunes") == ""  # its letters are not the text's


def _texts_and_shuffles() -> list[str]:
    """The labelled sets' folded lines, and lines of their words drawn at random."""
    import json
    import random
    from pathlib import Path

    from coaching.normalize import fold

    data = Path(__file__).parent / "data"
    texts = [
        fold(str(json.loads(raw).get("text", ""))).text
        for path in sorted(data.glob("*.jsonl"))
        for raw in path.read_text("utf-8").splitlines()
        if raw.strip()
    ]
    words = [w for t in texts for w in t.split()]
    rng = random.Random(11)
    spaces = [" ", " ", " ", "  ", "\n", ", ", ". "]
    for _ in range(3000):
        picked = rng.choices(words, k=rng.randint(1, 12))
        texts.append("".join(w + rng.choice(spaces) for w in picked))
    return texts


def test_regexes_behind_a_deep_lead_find_what_the_plain_alternations_find() -> None:
    from coaching import followup_verbs as fv
    from coaching.derived import word_alternation

    # (English with "<words> ago" has none: that alternative may start at any word)
    pairs = [
        (ft._ES, ft._ES_ALTS),
        (ft._EN_NO_AGO, ft._en_alternatives(ago=False)),
        (fv._ES, fv._ES_ALTS),
    ]
    texts = _texts_and_shuffles()
    for guarded, alternatives in pairs:
        plain = re.compile(word_alternation(alternatives))
        assert guarded.pattern != plain.pattern  # (the lead is there)
        found = 0
        for text in texts:
            want = [(m.span(), m.lastgroup) for m in plain.finditer(text)]
            assert [(m.span(), m.lastgroup) for m in guarded.finditer(text)] == want, text
            found += len(want)
        assert found > 200


def test_key_collapses_white_space_like_the_regex() -> None:
    from coaching.followup_times import _key

    for s in ["media  hora", " un\trato ", "a\u00a0las\n\n5", "", "   ", "x", "a \x1c b\x85"]:
        assert _key(s) == re.sub(r"\s+", " ", s.strip()), s
