"""Suggestions use only what the line says: slots for the rest, rewrites from captured words,
and the register of the agent's line."""

from __future__ import annotations

import re

import pytest

from coaching import analyze
from coaching.rules import RULES

# Specifics a suggestion could only have invented: days, months, clock times, institutions,
# people, reasons and counts the agent's line never gave.
_INVENTED = re.compile(
    r"\b(?:lunes|martes|miércoles|jueves|viernes|sábado|domingo|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
    r"septiembre|octubre|noviembre|diciembre|january|february|march|april|june|july|august|"
    r"september|october|november|december|banco|bank|tarjeta|card|paquetería|courier|"
    r"seguridad|security|señora|señor|ms|mrs|mr|sir|dos pasos|two steps|pm|am|"
    r"no (?:le|te) llegó|didn't reach)\b|\d",
    re.IGNORECASE,
)
# A capitalised word inside a sentence names something (a person, a product) the line never did.
_NAME = re.compile(r"(?<=[^.!?:;…] )[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+")

SUGGESTIONS = [
    (r.id, key, text)
    for r in RULES
    if r.category != "abuse"
    for key, text in (*r.suggestions, ("vosotros", r.suggestion_for("vosotros")))
]


@pytest.mark.parametrize(("rule", "register", "text"), SUGGESTIONS)
def test_no_suggestion_invents_specifics(rule: str, register: str, text: str) -> None:
    assert not _INVENTED.search(text), f"{rule} ({register}): {text}"
    names = [n for n in _NAME.findall(text) if n not in {"I"}]
    assert names == [], f"{rule} ({register}): {text}"


@pytest.mark.parametrize(
    ("line", "rewrite"),
    [
        ("Usted debió revisar el correo", "Revisemos juntos el correo."),
        ("Debió revisar su correo antes de pagar.", "Revisemos juntos su correo."),
        ("Deberías haber leído las condiciones.", "Leamos juntos las condiciones."),
        ("Vos tendrías que haber mirado la factura", "Veamos juntos la factura."),
        ("Deberíais haber pedido el cambio antes de la boda", "Pidamos juntos el cambio."),
        ("You should have read the email before paying", "Let's go through the email together."),
        ("You should have checked your spam folder", "Let's check your spam folder together."),
    ],
)
def test_rewrite_uses_the_lines_own_words(line: str, rewrite: str) -> None:
    (finding,) = analyze(line).findings
    assert finding.suggestion == rewrite


@pytest.mark.parametrize(
    "line",
    ["Tenías que haber pagado a tiempo", "Usted ya debería saberlo, está en el contrato."],
)
def test_without_a_known_verb_and_object_the_slot_stays(line: str) -> None:
    (finding,) = analyze(line).findings
    assert finding.suggestion.endswith("…")


@pytest.mark.parametrize(
    ("line", "register", "wanted"),
    [
        ("Tranquilo, no es para tanto, cálmese", "usted", "Entiendo que esté molesto"),
        ("Tranquilo, no es para tanto, cálmate", "tu", "Entiendo que estés molesto"),
        ("Calmate, che, no es para tanto", "vos", "tenés motivos"),
        ("Calmaos, no es para tanto", "vosotros", "Entiendo que estéis molestos, tenéis"),
    ],
)
def test_suggestion_in_the_register_of_the_line(line: str, register: str, wanted: str) -> None:
    analysis = analyze(line)
    assert analysis.register == register
    calm = [f for f in analysis.findings if f.rule == "defensive.es.calm-down"]
    assert calm and wanted in calm[0].suggestion


def test_vosotros_given_or_derived_never_keeps_tu_words() -> None:
    tu_words = re.compile(r"\b(?:te|tu|tus|tienes|tengas|estés|puedes)\b", re.IGNORECASE)
    for r in RULES:
        if r.lang == "es" and len(r.suggestions) > 1:
            assert not tu_words.search(r.suggestion_for("vosotros")), r.id
