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
