"""A threat is its own rule kind (`abuse.<lang>.threat`), so the bot can answer it differently.

Threat lines must carry a rule id ending in `.threat`, whatever insult comes with them; plain
insults must never be reported as threats; complaints, legal steps and curses at a situation are
not abuse at all. The lines here are written for this test, not taken from the quality sets.
"""

from __future__ import annotations

import pytest

from coaching import analyze

THREATS = [
    ("es", "Como sigan así los espero en la puerta del banco para romperles la jeta."),
    ("es", "Ya sé dónde trabajas, te voy a encontrar y te vas a arrepentir."),
    ("es", "Pendejo, te voy a dar una madriza cuando salgas."),
    ("es", "Voy a ir a su oficina a sacarle la mierda al encargado."),
    ("es", "Me las van a pagar, sé dónde viven."),
    ("es", "Más les vale que se cuiden."),
    ("en", "Keep ignoring me and I'll turn up at your branch and you'll regret it."),
    ("en", "I'll kick your ass, you useless clown."),
    ("en", "Better watch yourself, I know where you work."),
    ("en", "I'll smash in the manager's face."),
]

INSULTS = [
    ("es", "Weón culiao, contesta el chat."),
    ("es", "Sois unos gilipollas de manual."),
    ("es", "Qué inútiles!!"),
    ("es", "Pinche ratero, devuélveme lo que me cobraste."),
    ("es", "Los asesores no sirven para nada."),
    ("es", "¡Que te den!"),
    ("en", "Useless morons, all of you."),
    ("en", "What are you, stupid?"),
    ("en", "You lying crooks."),
]

CLEAN = [
    ("es", "Voy a ir a la Profeco y a mi abogado, esto no se queda así."),
    ("es", "Los voy a demandar y lo voy a publicar en redes."),
    ("es", "Que me den una tarjeta nueva o que te den a ti los datos, me da igual."),
    ("es", "Estas tarjetas no sirven para nada."),
    # The company as "ustedes" is a complaint about the service (issue 8; two blind writers).
    ("es", "Ustedes no sirven para nada como compañía."),
    ("es", "No weón, no me llega el SMS."),
    ("es", "Mañana voy a la sucursal a reclamar en persona."),
    ("en", "I'll come to your office on Monday with the receipts."),
    ("en", "I'm such an idiot, wrong card."),
    ("en", "You'll be sorry to see me go, but I'm cancelling."),
]


def _rules(lang: str, line: str) -> set[str]:
    findings = analyze(line, role="customer", lang=lang).findings  # type: ignore[arg-type]
    return {f.rule for f in findings}


@pytest.mark.parametrize(("lang", "line"), THREATS)
def test_threats_are_reported_as_threats(lang: str, line: str) -> None:
    assert f"abuse.{lang}.threat" in _rules(lang, line), line


@pytest.mark.parametrize(("lang", "line"), INSULTS)
def test_insults_are_abuse_but_never_threats(lang: str, line: str) -> None:
    rules = _rules(lang, line)
    assert rules, line
    assert all(r.startswith("abuse.") and not r.endswith(".threat") for r in rules), rules


@pytest.mark.parametrize(("lang", "line"), CLEAN)
def test_complaints_and_legal_steps_are_not_abuse(lang: str, line: str) -> None:
    assert _rules(lang, line) == set(), line
