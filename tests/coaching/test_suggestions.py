"""Suggestions use only what the line says: slots for the rest, rewrites from captured words,
and the register of the agent's line."""

from __future__ import annotations

import random
import re

import pytest

from coaching import analyze, rewrite
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
    for key, text in (*r.suggestions, ("vosotros", r.suggestion_for("vosotros")), *r.leads)
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
    ("line", "rule", "rewrite"),
    [
        # lead: the flagged opening gives way to the lead, the rest stays as typed
        (
            "Obviamente tiene que reiniciar el módem",
            "condescending.es.obviously",
            "Es una duda muy habitual; se lo explico: tiene que reiniciar el módem.",
        ),
        (
            "obvio que tenés que reiniciar el módem, che",
            "condescending.es.obviously",
            "Es una duda muy habitual; te lo explico: tenés que reiniciar el módem, che.",
        ),
        (
            "Obviously you need to restart the router first.",
            "condescending.en.obviously",
            "That's a very common question; let me explain: you need to restart the router first.",
        ),
        (
            "Como ya le expliqué, el reembolso tarda 5 días.",
            "defensive.es.as-i-said",
            "Le resumo: el reembolso tarda 5 días.",
        ),
        (
            "como ya te dije, el plazo es de 30 dias",
            "defensive.es.as-i-said",
            "Te resumo: el plazo es de 30 dias.",
        ),
        # drop: the pet name goes, with its comma
        (
            "Hon, it's the blue button on the left.",
            "condescending.en.pet-name",
            "It's the blue button on the left.",
        ),
        (
            "Ya le reviso el pedido, mi reina.",
            "condescending.es.pet-name",
            "Ya le reviso el pedido.",
        ),
        # empathy-then: the agent's empathy stays; what the "pero" brought in gives way
        (
            "Hola Ana, lo siento mucho, pero no puedo cambiar la fecha.",
            "defensive.es.empathy-but",
            "Hola Ana, lo siento mucho. Lo que sí puedo hacer ahora es…",
        ),
        (
            "Comprendo su molestia, pero son las políticas de la empresa.",
            "defensive.es.empathy-but",
            "Comprendo su molestia. Lo que sí puedo hacer ahora es…",
        ),
        (
            "I understand your frustration, but there's nothing I can do.",
            "defensive.en.empathy-but",
            "I understand your frustration. What I can do right now is…",
        ),
        # hedge: the guarantee gives way to an estimate and a promise the agent can keep
        (
            "Te garantizo que mañana lo tienes.",
            "overpromise.es.promise-outcome",
            "Por lo que veo, mañana lo tienes; si cambia algo, te aviso yo antes.",
        ),
        (
            "Le aseguro al 100% que llega el jueves.",
            "overpromise.es.guarantee",
            "Por lo que veo, llega el jueves; si cambia algo, le aviso yo antes.",
        ),
        (
            "Os prometo que el lunes está arreglado.",
            "overpromise.es.promise-outcome",
            "Por lo que veo, el lunes está arreglado; si cambia algo, os aviso yo antes.",
        ),
        (
            "I promise it will be fixed today.",
            "overpromise.en.promise-outcome",
            "As things stand, it will be fixed today; if anything changes, I'll tell you first.",
        ),
        # a certainty closing the promise goes with it: an estimate cannot say «sí o sí»
        (
            "Te juro que el lunes te llega sí o sí.",
            "overpromise.es.promise-outcome",
            "Por lo que veo, el lunes te llega; si cambia algo, te aviso yo antes.",
        ),
        (
            "I promise it'll be there Friday, 100%.",
            "overpromise.en.promise-outcome",
            "As things stand, it'll be there Friday; if anything changes, I'll tell you first.",
        ),
    ],
)
def test_rewrite_keeps_the_sentence_and_changes_the_flagged_words(
    line: str, rule: str, rewrite: str
) -> None:
    found = {f.rule: f.suggestion for f in analyze(line).findings}
    assert found.get(rule) == rewrite, found


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        # the rest of the sentence holds another finding: rewriting would keep that fault
        ("Mire, mi reina, eso ya se lo expliqué.", "condescending.es.pet-name"),
        ("Como ya le dije, usted debería haber reiniciado el router.", "defensive.es.as-i-said"),
        ("Obviamente usted debió leer el contrato.", "condescending.es.obviously"),
        ("Te garantizo que mañana lo tienes, mi amor.", "overpromise.es.promise-outcome"),
        # not the sentence's opening: there is nothing to lead
        ("El botón, como ya le expliqué, está arriba a la derecha.", "defensive.es.as-i-said"),
    ],
)
def test_no_rewrite_keeps_another_fault_or_breaks_the_sentence(line: str, rule: str) -> None:
    found = {f.rule: f.suggestion for f in analyze(line).findings}
    assert rule in found
    other = next(r for r in RULES if r.id == rule)
    assert found[rule] == other.suggestion_for(analyze(line).register)


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


def test_sentence_end_after_a_position_is_what_a_full_search_finds() -> None:
    rng = random.Random(5)
    pieces = ["word", " ", ".", "..", "...", "....", "!", "?;", "\n", "\t", "a.b", "  "]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 400)))
        for pos in sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, 12))):
            m = rewrite.SENTENCE_END.search(text, pos)
            want = m.end() if m else len(text)
            assert rewrite._end_after(text, pos) == want, (text, pos)
    # A mark right at the bounded search's edge, followed by a letter, is no sentence end.
    edge = "x" * 399 + ".y and more. Next"
    assert rewrite._end_after(edge, 0) == edge.index("more.") + len("more.")
    long = "will 100% " * 4000  # no sentence end: searched to the end once, then known
    assert rewrite._end_after(long, 10) == len(long)
    assert rewrite._NO_END[0] is long
    assert rewrite._end_after(long, 500) == len(long)
