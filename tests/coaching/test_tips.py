"""The seven tips and seven steps: complete, parallel in es and en, short enough to read in chat."""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError, fields

import pytest

from coaching.tips import LANGS, Step, Tip, steps, tip, tips

MAX_PARAGRAPH = 400


@pytest.mark.parametrize("lang", LANGS)
def test_seven_tips_numbered_one_to_seven(lang):
    assert [t.number for t in tips(lang)] == [1, 2, 3, 4, 5, 6, 7]
    assert all(isinstance(t, Tip) for t in tips(lang))


@pytest.mark.parametrize("lang", LANGS)
def test_seven_steps_numbered_one_to_seven(lang):
    assert [s.number for s in steps(lang)] == [1, 2, 3, 4, 5, 6, 7]
    assert all(isinstance(s, Step) for s in steps(lang))


@pytest.mark.parametrize("lang", LANGS)
def test_no_empty_fields(lang):
    for item in (*tips(lang), *steps(lang)):
        for f in fields(item):
            value = getattr(item, f.name)
            if isinstance(value, str):
                assert value.strip(), f"{lang} {item.number}: empty {f.name}"


@pytest.mark.parametrize("lang", LANGS)
def test_paragraphs_are_short(lang):
    for t in tips(lang):
        assert len(t.text) <= MAX_PARAGRAPH, f"{lang} tip {t.number} is {len(t.text)} chars"
        assert len(t.example) <= 200, f"{lang} tip {t.number} example is too long"
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", t.text) if s]
        assert 2 <= len(sentences) <= 3, f"{lang} tip {t.number} has {len(sentences)} sentences"
    for s in steps(lang):
        assert len(s.text) <= 200, f"{lang} step {s.number} is too long"


def test_es_and_en_have_the_same_structure():
    assert len(tips("es")) == len(tips("en"))
    assert len(steps("es")) == len(steps("en"))
    for es, en in zip(tips("es"), tips("en"), strict=True):
        assert es.number == en.number
        assert es.title != en.title, "the English tips look untranslated"
    for es_s, en_s in zip(steps("es"), steps("en"), strict=True):
        assert es_s.number == en_s.number


def test_spanish_examples_address_the_customer_as_usted():
    tu_forms = re.compile(r"\b(tú|tu|te|ti|contigo|puedes|quieres|tienes|dime|cuéntame)\b", re.I)
    for t in tips("es"):
        assert not tu_forms.search(t.example), f"tip {t.number} example uses tú: {t.example}"


def test_beginners_mind_is_about_debería():
    assert "debería" in tip(3, "es").text
    assert "should" in tip(3, "en").text


def test_tip_by_number_and_bounds():
    assert tip(1, "es").title == tips("es")[0].title
    assert tip(7, "en") is tips("en")[6]
    with pytest.raises(KeyError):
        tip(0, "es")
    with pytest.raises(KeyError):
        tip(8, "en")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        tips("fr")  # type: ignore[arg-type]


def test_loaded_once_and_frozen():
    assert tips("es") is tips("es")
    with pytest.raises(FrozenInstanceError):
        tips("es")[0].title = "x"  # type: ignore[misc]
