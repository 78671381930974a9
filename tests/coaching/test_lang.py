"""Language and form-of-address detection."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from coaching import lang
from coaching.lang import detect_lang, detect_register
from coaching.normalize import fold


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hola, ¿me confirma su número de pedido?", "es"),
        ("Usted debería haber leído las condiciones", "es"),
        ("q onda, no me llega el paquete", "es"),
        ("Hi, could you confirm your order number?", "en"),
        ("You should have read the terms", "en"),
        ("I'll call you tomorrow at 10", "en"),
        ("", "es"),
        ("12345", "es"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(fold(text).text) == lang


@pytest.mark.parametrize(
    ("text", "register"),
    [
        ("Usted debería haber leído el correo", "usted"),
        ("¿Me confirma su correo, por favor?", "usted"),
        ("Disculpe la demora", "usted"),
        ("Deberías haber guardado el ticket", "tu"),
        ("¿Tienes el número de pedido a mano?", "tu"),
        ("Te mando el enlace ahora", "tu"),
        ("Vos tenés que reiniciar el módem", "vos"),
        ("Fijate en la factura y decime el número", "vos"),
        ("¿Podés mandarme una captura?", "vos"),
        ("Mirá, te explico", "vos"),
        ("Hola", "usted"),
        ("Tranquilo, no es para tanto, cálmate", "tu"),
        ("Calmate, che, no es para tanto", "vos"),
        ("Deberíais haber pedido el cambio antes", "vosotros"),
        ("Os lo dije ayer, está en vuestro contrato", "vosotros"),
        ("¿Podéis mandarme una captura?", "vosotros"),
    ],
)
def test_detect_register_es(text: str, register: str) -> None:
    assert detect_register(fold(text).text, "es", text) == register


def test_english_register_is_you() -> None:
    assert detect_register(fold("You should check it").text, "en") == "you"


def test_every_accent_only_form_has_a_written_accent() -> None:
    # detect_register skips the accent-only forms on a message without any written accent.
    from re import _parser as sre  # type: ignore[attr-defined]

    from coaching import lang

    for rx in (lang._VOS_ACCENT, lang._TU_ACCENT):
        [(_, (_, branch))] = [
            item for item in sre.parse(rx.pattern, rx.flags) if item[0] == sre.BRANCH
        ]
        for alt in branch:
            word = "".join(chr(av) for op, av in alt if op == sre.LITERAL)
            assert lang._MARKED.search(word), word


def _texts() -> list[str]:
    data = Path(__file__).parent / "data"
    return [
        json.loads(line)["text"]
        for path in sorted(data.glob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]


def test_register_words_count_what_the_regexes_find() -> None:
    regexes = [lang._VOS, lang._TU, lang._TU_EXTRA, lang._USTED, lang._VOSOTROS]
    forms = lang._Phrases(*regexes)
    rng = random.Random(3)
    words = [w for table in forms.tables for alts in table.values() for alt in alts for w in alt]
    seps = [" ", "  ", ", ", "\n", "", "_", "9", "ñ", "'", ".", " y ", "\u00a0", "²", "🙂"]
    # Real lines, and lines made of the phrases' own words and awkward separators (a phrase
    # at the very end, split by two spaces, glued to a digit or an underscore).
    texts = [fold(t).text for t in _texts()]
    for _ in range(3000):
        n = rng.randint(1, 8)
        texts.append("".join(rng.choice(words) + rng.choice(seps) for _ in range(n)).strip())
    texts += ["puede usted", "tenes que", "sabes vos", "x puede usted", "mira  vos", "anda a"]
    texts += ["puede, usted", "puede\u00a0usted", "anda al", "mira vosotros", "esta usted_"]
    counted = 0
    for text in texts:
        want = [len(rx.findall(text)) for rx in regexes]
        assert forms.counts(text) == want, text
        counted += sum(want)
    assert counted > 3000


def test_word_runs_are_the_regex_runs() -> None:
    import re

    rng = random.Random(4)
    chars = [chr(c) for c in range(0x250)] + ["🙂", "\u2028", "²", "İ"]
    for _ in range(3000):
        text = "".join(rng.choices(chars, k=rng.randint(0, 12)))
        assert lang._word_runs(text) == re.findall(r"\w+", text), text


def test_lang_evidence_from_known_runs_is_the_regex_count() -> None:
    from coaching.normalize import letter_runs

    texts = ["the order is late, pero ya", "i'm sorry", "x" * 70 + " de la", "", "que tal"]
    # Runs of 30 and 31 letters and apostrophes (a long run is cut: its pieces count), also
    # ending a line or beside a character past ASCII.
    texts += ["x" * 28 + "de la", "x" * 29 + "'de la", "é" + "y" * 30 + "de", "w" * 30 + " de"]
    rng = random.Random(5)
    texts += ["".join(rng.choices("de l'aé ", k=rng.randint(0, 90))) for _ in range(2000)]
    for text in texts:
        words = lang._WORD.findall(text)
        want = (sum(w in lang._ES for w in words), sum(w in lang._EN_ONLY for w in words))
        assert lang.lang_evidence(text) == want
        assert lang.lang_evidence(text, letter_runs(text)) == want


def test_accent_forms_found_on_the_lowered_text_as_ignorecase_finds_them() -> None:
    import re

    words = [
        alt
        for rx in (lang._VOS_ACCENT, lang._TU_ACCENT)
        for alt in rx.pattern.split("(?:", 1)[1].rsplit(")(?!", 1)[0].split("|")
    ]
    # Every character but the three set apart reads, lowered, as IGNORECASE reads it: as one
    # character, a letter if and only if it was one, and the same letter of the forms.
    letters = sorted({ch for w in words for ch in w if ch != " "})
    is_letter = re.compile(r"[^\W\d_]")
    for cp in range(0x110000):
        ch = chr(cp)
        if ch in lang._ODD_CASE or 0xD800 <= cp <= 0xDFFF:
            continue
        low = ch.lower()
        assert len(low) == 1, hex(cp)
        assert bool(is_letter.fullmatch(ch)) == bool(is_letter.fullmatch(low)), hex(cp)
        if low != ch or ch.upper() != ch:  # a cased character
            for letter in letters:
                assert (re.fullmatch(letter, ch, re.I) is not None) == (low == letter), hex(cp)
    rng = random.Random(5)
    pieces = [*words, *(w.upper() for w in words), "İ", "ı", "ſ", " ", "x", "É", "5", "_"]
    pieces += ["\u00a0", "\n", "ñ", "🙂", ".", "\u212a"]  # the Kelvin sign lowers to an ASCII "k"
    for _ in range(2000):
        text = "".join(rng.choices(pieces, k=rng.randint(1, 6)))
        want = (len(lang._VOS_ACCENT.findall(text)), len(lang._TU_ACCENT.findall(text)))
        assert lang._accent_counts(text) == want, text
