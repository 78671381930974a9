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
