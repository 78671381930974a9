"""The follow-up time lexicon's words are data (coaching/lexicon/times.yml), checked at import."""

from __future__ import annotations

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
