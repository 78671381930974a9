"""Folding: accents, case, chat spelling, quoted text, and the map back to original offsets."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from coaching import analyze
from coaching.normalize import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Usted DEBERÍA", "usted deberia"),
        ("q no sabíaaaa", "que no sabia"),
        ("Ud. debió", "usted. debio"),
        ("xq no llegó", "porque no llego"),
        ("t escribo mañana", "te escribo manana"),
        ("I can t log in", "i can t log in"),
        ("Mañana", "manana"),
        ("¿Me confirma?", "?me confirma?"),
        ("teniass q fijarte", "tenias que fijarte"),
        ("Deberiass haber leído", "deberias haber leido"),
        ("si hubierass visto", "si hubieras visto"),
        ("la llamada, el carro, acceso, leer", "la llamada, el carro, acceso, leer"),
        ("the class is less of a mess", "the class is less of a mess"),
        ("más", "mas"),
        ("u should of called", "you should of called"),
        ("siete u ocho días", "siete u ocho dias"),
        ("ur order", "your order"),
    ],
)
def test_fold_text(text: str, folded: str) -> None:
    assert fold(text).text == folded


@pytest.mark.parametrize(
    "text",
    [
        "> usted debería haber leído\nok",
        'él escribió "usted debería haber leído" y ya',
        "él escribió “usted debería haber leído” y ya",
        "la otra asesora le dijo 'usted debería haber leído', y no estuvo bien",
        "Sorry someone told you 'you should have read it', that wasn't ok",
        # an apostrophe inside a word of the quote does not end it
        "they told you 'you should've read it, it's on you' and that's wrong",
        "la otra asesora le dijo 'usted debería haber leído, pa' eso está' y no estuvo bien",
    ],
)
def test_quoted_text_is_masked(text: str) -> None:
    assert "deberia" not in fold(text).text
    assert "should" not in fold(text).text


@pytest.mark.parametrize(
    "text",
    [
        "don't worry, it's fixed and you'll have it Monday",
        "usté' e' muy amable, pa' que vea",
        "the customers' orders and the team's notes",
    ],
)
def test_apostrophes_are_not_quotes(text: str) -> None:
    assert "\n" not in fold(text).text


def test_code_span_is_masked() -> None:
    assert "deberia" not in fold("el error dice `Usted debería` hoy").text


@pytest.mark.parametrize(
    ("text", "target", "word"),
    [
        ("ok q ud deberíaaaa haber leído", "deberia", "deberíaaaa"),
        ("Ud debió revisar", "usted debio", "Ud debió"),
        ('dijo "hola" y ud debió revisar', "debio", "debió"),
        ("xq q k ud tmb DEBIÓ", "tambien debio", "tmb DEBIÓ"),
    ],
)
def test_span_maps_back(text: str, target: str, word: str) -> None:
    f = fold(text)
    i = f.text.index(target)
    s, e = f.span(i, i + len(target))
    assert text[s:e] == word


@pytest.mark.parametrize(
    "invisible", ["\x00", "\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u200d", "\x1b"]
)
def test_invisible_characters_neither_hide_a_phrase_nor_leak_into_spans(invisible: str) -> None:
    from coaching import analyze

    text = f"{invisible}Usted deb{invisible}ería haber leído el correo"
    findings = analyze(text).findings
    assert [f.category for f in findings] == ["judgement"]
    f = findings[0]
    assert text[f.start : f.end] == f.excerpt
    assert f.excerpt.startswith("Usted") and "le" in f.excerpt


@pytest.mark.parametrize(
    "text",
    [
        "Usted debería haber leído el correo.",
        "Cálmese, señora, no es para tanto.",
        "Le llamo mañana a las 10 para confirmárselo.",
    ],
)
def test_decomposed_text_matches_like_composed(text: str) -> None:
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text  # the case really is decomposed
    assert fold(nfd).text == fold(text).text
    composed, decomposed = analyze(text), analyze(nfd)
    assert [f.rule for f in decomposed.findings] == [f.rule for f in composed.findings]
    assert [f.due for f in decomposed.followups] == [f.due for f in composed.followups]
    for f in decomposed.findings:
        assert f.excerpt == nfd[f.start : f.end]
        assert unicodedata.normalize("NFC", f.excerpt) in text


def test_fold_letters_on_ascii_is_the_table_itself() -> None:
    from coaching.normalize import _TABLE, fold_letters

    assert sorted(k for k in _TABLE if k < 128) == list(range(ord("A"), ord("Z") + 1))
    every_ascii = "".join(map(chr, range(128)))
    assert fold_letters(every_ascii) == every_ascii.translate(_TABLE)
    assert fold_letters("Qué TAL") == "que tal"  # not ASCII: the table
    every_bmp = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    assert fold_letters(every_bmp) == every_bmp.translate(_TABLE)
    astral = "\U0001f642 Ñandú \U0001d400 \u00bfQUÉ? \ud800 ÀB"  # and a lone surrogate
    assert fold_letters(astral) == astral.translate(_TABLE)


# Characters that make or break letter runs and edits: letters, "'", digits, the short words'
# letters, spaces and line breaks, invisible ones, accents and a lone surrogate.
_PIECES = ["q", "t", "x", "d", "u", "e'", "ss", "aaa", "a", "b", "'", "1", " ", "\n", "\t", "ñ"]
_PIECES += ["\u200b", "\u0301", "\x07", "\ufe0f", "\U0001f642", "\ud800", "porq", "uds", ",", "."]


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(_PIECES, k=rng.randint(0, 12))) for _ in range(count)]


def test_letter_runs_are_the_runs_a_regex_finds() -> None:
    from coaching.normalize import letter_runs

    for text in [*_texts(3000, 1), "Hola, ¿qué tal?", "don't", "", "\ud800x"]:
        assert letter_runs(text) == re.findall(r"[a-z']+", text), text


def test_the_cheap_edit_test_misses_no_edit() -> None:
    from coaching.normalize import _EDITS, _may_edit, fold_letters, letter_runs

    edited = 0
    for text in _texts(5000, 2):
        base = fold_letters(text)
        if _EDITS.search(base):
            assert _may_edit(base, letter_runs(base)), text
            edited += 1
    assert edited > 1000


def test_the_stretch_scan_finds_what_the_edits_scan_finds() -> None:
    from coaching.normalize import _EDITS, _STRETCH, _edit_scan, fold_letters, letter_runs

    stretched = 0
    texts = [*_texts(5000, 4), "nooo", "siiii claro", "aaa bbb", "holaaa q tal", "ssss"]
    for text in texts:
        base = fold_letters(text)
        scan = _edit_scan(base, letter_runs(base))
        want = [(m.span(), m.lastgroup, m.groupdict()) for m in _EDITS.finditer(base)]
        if scan is None:
            assert want == [], text
            continue
        got = [(m.span(), m.lastgroup) for m in scan.finditer(base)]
        assert got == [(span, group) for span, group, _ in want], text
        if scan is _STRETCH:
            stretched += 1
            assert all(
                m.group("stretch") == g["stretch"]
                for m, (_, _, g) in zip(scan.finditer(base), want, strict=True)
            )
    assert stretched > 50


def test_latin1_text_folds_as_the_table_says() -> None:
    """The byte translation for text below U+0100 gives what the per-character fold gives."""
    from coaching import normalize

    for b in range(0x80, 0x100):
        ch = chr(b)
        assert chr(normalize._LATIN1[b]) == normalize._FOLDED.get(ch, ch)
    rng = random.Random(7)
    pool = [chr(c) for c in range(0x100)]
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
        low = text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
        want = "".join(normalize._FOLDED.get(c, c) if ord(c) > 0x7F else c for c in low)
        assert normalize.fold_letters(text) == want
        assert normalize.fold_letters(text + "🙂") == want + "🙂"


def test_fold_makes_the_same_frozen_folded_as_the_dataclass() -> None:
    import dataclasses

    from coaching.normalize import Folded, _folded

    made = _folded("Él", "el", (), (), ["el"])
    assert made == Folded("Él", "el", (), (), None)  # runs: not compared
    assert made.runs == ["el"] and repr(made) == repr(Folded("Él", "el", (), ()))
    assert hash(made) == hash(Folded("Él", "el", (), ()))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.text = "x"  # type: ignore[misc]
    edited = fold("q no sabíaaaa")
    assert edited == Folded(edited.original, edited.text, edited._edits, edited._starts)
    assert edited.span(0, 3) == (0, 1)


def test_below_u0100_every_invisible_character_is_unprintable() -> None:
    """`_edit_scan(..., latin1=True)` skips the invisible scan on a printable text."""
    from coaching.normalize import _EDITS, _INVISIBLE_ANY, _edit_scan, fold_letters, letter_runs

    for b in range(0x100):
        if _INVISIBLE_ANY.match(chr(b)):
            assert not chr(b).isprintable(), hex(b)
    for text in [*_texts(3000, 5), "a\u00adb", "x\x07y", "é\u00ad"]:
        base = fold_letters(text)
        if max(base, default="\0") < "\u0100":
            scan = _edit_scan(base, letter_runs(base), latin1=True)
            assert (scan is _EDITS) == (_edit_scan(base, letter_runs(base)) is _EDITS), text


def test_fold_reads_the_runs_from_the_latin1_bytes() -> None:
    from coaching.normalize import fold, fold_letters, letter_runs

    for text in [*_texts(3000, 6), "ÉL DIJO: ¡Qué Tal!", "Ça va", "ñandú ÑANDÚ", "x\u00ffy"]:
        folded = fold(text)
        if folded.runs is not None:
            assert folded.runs == letter_runs(fold_letters(text)), text
