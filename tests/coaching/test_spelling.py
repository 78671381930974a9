"""Chat spelling of the rules' words ("deveria", "ubiera", "tranquilisese", "yamo") is restored
before the rules run, and only where it stands for one rule word."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pytest

from coaching import analyze
from coaching.normalize import fold
from coaching.rules import RULES
from coaching.spelling import misspellings, table

_MARK = re.compile(r"\[\[(.+?)\]\]")


def test_a_misspelling_maps_to_the_one_word_it_stands_for() -> None:
    spell = table({"deberia", "hubiera", "tranquilicese", "llamo", "vaya", "valla", "haber"})
    assert spell["deveria"] == "deberia"
    assert spell["ubiera"] == "hubiera"
    assert spell["huviera"] == "hubiera"
    assert spell["tranquilisese"] == "tranquilicese"
    assert spell["yamo"] == "llamo"
    assert spell["aver"] == "haber"
    assert "baya" not in spell  # "vaya" or "valla": left alone
    assert "vaya" not in spell and "valla" not in spell  # known words are never changed


def test_short_words_are_left_alone() -> None:
    assert all(len(v) >= 4 for v in misspellings("haya"))
    assert "as" not in table({"has", "hace"})


def test_fold_restores_the_word_and_keeps_the_original_offsets() -> None:
    folded = fold("Usted DEVERIA aber leído", {"deveria": "deberia", "aber": "haber"})
    assert folded.text == "usted deberia haber leido"
    start = folded.text.index("haber")
    assert folded.span(start, start + 5) == (14, 18)


def test_a_quoted_misspelling_stays_masked() -> None:
    assert "deberia" not in fold('dijo "deveria" ayer', {"deveria": "deberia"}).text


@pytest.mark.parametrize(
    ("line", "category"),
    [
        ("usted deveria aber leido el correo", "judgement"),
        ("si ubiera revisado la factura no pasaba esto", "judgement"),
        ("tranquilisese señor", "defensive"),
        ("eso no es mi culpa, yo nomas atiendo el chat", "defensive"),
    ],
)
def test_misspelled_lines_are_coached(line: str, category: str) -> None:
    assert category in {f.category for f in analyze(line).findings}


def test_a_misspelled_promise_still_makes_a_follow_up() -> None:
    assert analyze("le yamo mañana a las 10").followups


def _unaccented(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


SOUND_ALIKE: dict[str, Callable[[str], str]] = {
    "b for v": lambda s: s.replace("b", "v"),
    "v for b": lambda s: s.replace("v", "b"),
    "s for z and soft c": lambda s: re.sub(r"c(?=[ei])", "s", s.replace("z", "s")),
    "no h": lambda s: re.sub(r"\bh(?=[aeiou])", "", _unaccented(s)),
    "y for ll": lambda s: s.replace("ll", "y"),
}


@pytest.mark.parametrize("name", sorted(SOUND_ALIKE))
def test_the_spanish_rules_survive_sound_alike_spelling(name: str) -> None:
    change = SOUND_ALIKE[name]
    tried = kept = 0
    for rule in RULES:
        if rule.lang != "es":
            continue
        role = "customer" if rule.category == "abuse" else "agent"
        for example in rule.flag:
            line = _MARK.sub(r"\1", example)
            variant = change(line)
            if variant == line:
                continue
            tried += 1
            kept += rule.category in {f.category for f in analyze(variant, role=role).findings}
    assert tried >= 20
    assert kept / tried >= 0.8, f"{name}: {kept}/{tried}"
