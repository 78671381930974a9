"""analyze(): offsets, quotes, chat spelling, role gating, languages, time handling."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from coaching import Analysis, analyze
from coaching.model import CATEGORIES

LINES = [
    "Usted debería haber leído las condiciones.",
    "Comprendo el inconveniente, pero son las políticas.",
    "ok q ud deberíaaaa haber leido el correo",
    "Obviamente tiene que reiniciar. Le prometo que hoy queda resuelto.",
    "You should have read the terms. Calm down, please.",
    "Eres un inútil y son unos ladrones",
    "Hola 👋🏽, Ud. debió revisar — gracias",
]


@pytest.mark.parametrize("text", LINES)
@pytest.mark.parametrize("role", ["agent", "customer"])
def test_offsets_are_valid_and_excerpt_matches(text: str, role: str) -> None:
    result = analyze(text, role=role)  # type: ignore[arg-type]
    assert isinstance(result, Analysis)
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert f.excerpt == text[f.start : f.end]
        assert f.category in CATEGORIES
        assert f.explanation and f.suggestion and 1 <= f.tip <= 7
    starts = [f.start for f in result.findings]
    assert starts == sorted(starts)


def test_finding_points_at_the_words() -> None:
    text = "Hola. Usted debería haber leído las condiciones."
    (f,) = analyze(text).findings
    assert f.category == "judgement"
    assert f.excerpt == "Usted debería haber leído"


@pytest.mark.parametrize(
    "text",
    [
        "> usted debería haber leído las condiciones\nLe ayudo con eso ahora.",
        'El cliente escribió "usted debería haber leído" en la encuesta.',
        "El cliente escribió «usted debería haber leído» en la encuesta.",
    ],
)
def test_quoted_text_is_not_judged(text: str) -> None:
    assert analyze(text).findings == ()


@pytest.mark.parametrize(
    "text",
    [
        "ud deberia haber leido las condiciones",
        "USTED DEBERÍA HABER LEÍDO LAS CONDICIONES",
        "q ud debiooo revisar el correo",
        "tendrias q haberte fijado",
    ],
)
def test_chat_spelling_is_understood(text: str) -> None:
    assert [f.category for f in analyze(text).findings] == ["judgement"]


def test_customer_lines_get_only_abuse_and_no_followups() -> None:
    text = "Usted debería haber leído esto, eres un inútil. Le llamo mañana a las 10."
    result = analyze(text, role="customer")
    assert {f.category for f in result.findings} == {"abuse"}
    assert result.followups == ()


def test_agent_lines_are_never_abuse() -> None:
    assert analyze("Eres un inútil", role="agent").findings == ()


def test_language_and_register() -> None:
    es = analyze("Calmate, che, no es para tanto")
    assert (es.lang, es.register) == ("es", "vos")
    assert "tenés motivos" in es.findings[0].suggestion
    usted = analyze("Usted debería haber leído el correo")
    assert usted.register == "usted"
    assert usted.findings[0].suggestion == "Leamos juntos el correo."
    en = analyze("You should have read the email")
    assert (en.lang, en.register) == ("en", "you")
    assert en.findings[0].explanation.startswith("It sounds")


def test_explicit_language_wins() -> None:
    assert analyze("Calm down", lang="en").findings[0].rule == "defensive.en.calm-down"


def test_overlapping_findings_of_one_category_are_merged() -> None:
    text = "Le garantizo que no volverá a pasar"
    cats = [f.category for f in analyze(text).findings]
    assert cats == ["overpromise"]


def test_now_and_tz_are_accepted_naive_or_aware() -> None:
    text = "Le llamo mañana a las 10"
    analyze(text, now=datetime(2026, 1, 5, 9, 0), tz="America/Mexico_City")
    analyze(text, now=datetime(2026, 1, 5, 9, 0, tzinfo=UTC), tz=ZoneInfo("Europe/Madrid"))
    analyze(text)


def test_clean_lines_are_silent() -> None:
    for text in [
        "Hola, ¿me confirma su número de pedido, por favor?",
        "Entiendo que le cobraron dos veces; ya pedí el reembolso.",
        "El paquete debería llegar el jueves.",
        "Deberíamos haberle avisado antes, disculpe.",
        "Thanks for waiting, your refund is on its way.",
        "",
        "   ",
    ]:
        assert analyze(text).findings == (), text


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [("Sir, calm down.", "calm down"), ("Calm down, sir", "Calm down"), ("Relax!", "Relax")],
)
def test_a_line_without_stop_words_is_also_read_as_english(text: str, excerpt: str) -> None:
    result = analyze(text)
    assert result.lang == "en"
    assert [(f.category, f.excerpt) for f in result.findings] == [("defensive", excerpt)]


def test_a_line_without_stop_words_stays_spanish_when_spanish_rules_match() -> None:
    result = analyze("Cálmese, señor")
    assert result.lang == "es"
    assert [f.excerpt for f in result.findings] == ["Cálmese"]


def _as_data(result: Analysis) -> tuple[object, ...]:
    return (result.lang, result.register, result.findings, result.followups)


def test_analyze_many_answers_each_message_as_analyze_does() -> None:
    from coaching.analyze import analyze_many
    from tests.coaching.labelled import TEXTS

    madrid = ZoneInfo("Europe/Madrid")
    now = datetime(2025, 3, 4, 9, 15, tzinfo=UTC)
    # Every labelled line in both roles, detected and given languages, with and without a
    # time; with the English fallback ("Sir, calm down.") and promises among them.
    requests = [
        (text, role, lang, at, zone)
        for i, text in enumerate([*TEXTS, "Sir, calm down.", "Le llamo mañana a las 10."])
        for role, lang, at, zone in [
            ("agent", None, now, madrid),
            ("customer", None, None, None),
            ("agent", ("es", "en")[i % 2], now.replace(tzinfo=None), "America/Bogota"),
        ]
    ]
    many = analyze_many(requests)  # type: ignore[arg-type]
    assert len(many) == len(requests)
    for request, result in zip(requests, many, strict=True):
        assert _as_data(result) == _as_data(analyze(*request))  # type: ignore[arg-type]
    assert any(r.followups for r in many) and any(r.lang == "en" for r in many)
    assert analyze_many([]) == []


def test_analyze_many_raises_what_analyze_raises() -> None:
    from coaching.analyze import analyze_many

    with pytest.raises(Exception) as one:
        analyze("Le llamo mañana", tz="Mars/Olympus")
    with pytest.raises(type(one.value)):
        analyze_many(
            [("hola", "agent", None, None, None), ("Le llamo", "agent", None, None, "Mars/Olympus")]
        )
