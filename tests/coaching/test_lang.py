"""Language and form-of-address detection."""

from __future__ import annotations

import pytest

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
