"""coaching/lexicon/subject.yml: the word lists `subject.py` reads are folded, non-empty words."""

from __future__ import annotations

import re

from coaching import lexicon
from coaching.normalize import fold

_WORD = re.compile(r"[a-z_']+")


def test_every_list_is_folded_words() -> None:
    data = lexicon.load("subject.yml")
    assert set(data) == {"es", "en"}
    for lang, lists in data.items():
        for name, value in lists.items():
            words = list(value) + list(value.values()) if isinstance(value, dict) else value.split()
            assert words, f"{lang}.{name} is empty"
            for word in words:
                if word == "":  # "ido" -> "" (ir): an empty stem is allowed
                    continue
                assert _WORD.fullmatch(word), f"{lang}.{name}: {word!r}"
                assert fold(word.replace("_", " ")).text == word.replace("_", " "), word


def test_the_lists_reach_the_subject_rules() -> None:
    from coaching import analyze

    # "sumercé" (Colombia) is in the customer list: the judgement names the customer.
    assert [f.category for f in analyze("Sumercé debió traer el recibo.").findings] == ["judgement"]
    # "debimos" is an agent form: owning the mistake is not a judgement.
    assert analyze("Debimos avisarle antes del corte.").findings == ()
