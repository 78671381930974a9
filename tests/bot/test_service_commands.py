"""CoachService `/coach` commands: help, gating, team figures, tips, check, language, leads."""

from __future__ import annotations

import pytest

from bot import actions
from bot.model import Post, PrivateNotice
from tests.bot.service_kit import WS, Kit, button, card_of, only, text_of

JUDGEMENT = "Usted debería haber leído las instrucciones."


def test_every_answer_is_private_and_unknown_input_gets_short_help(kit: Kit) -> None:
    for text in ("ayuda", "pasos", "consejos", "consejos 3", "seguimientos", "xyz", "silenciar"):
        reply = only(kit.coach(text))
        assert isinstance(reply, PrivateNotice) and reply.user == "U1", text
    assert "No conozco ese comando" in text_of(kit.coach("bailar"))
    assert "/coach silenciar 1h | hoy | off" in text_of(kit.coach("silenciar mucho"))
    assert "Para líderes" not in text_of(kit.coach("ayuda"))
    assert "Para líderes" in text_of(kit.coach("ayuda", author="ADMIN", admin=True))


def test_a_mistyped_command_is_answered_with_the_one_it_was_likely_meant_for(kit: Kit) -> None:
    typo = text_of(kit.coach("recordatorio"))
    assert "No conozco ese comando" in typo and "¿Querías decir /coach seguimientos?" in typo
    assert "Querías decir" not in text_of(kit.coach("bailar"))  # nothing close: no guess
    kit.coach("idioma en")
    assert "Did you mean /coach followups?" in text_of(kit.coach("folowups"))


def test_a_redelivered_command_or_press_is_answered_once_by_its_event_id(kit: Kit) -> None:
    assert "Siete consejos" in text_of(kit.coach("consejos", event_id="mention:Ev1"))
    assert kit.coach("consejos", event_id="mention:Ev1") == []
    assert "Siete consejos" in text_of(kit.coach("consejos", event_id="mention:Ev2"))
    assert "Siete consejos" in text_of(kit.coach("consejos"))  # no id (a slash command): always
    assert "Siete consejos" in text_of(kit.coach("consejos"))
    nudge = only(kit.say(JUDGEMENT))
    useful = button(card_of(nudge), actions.NUDGE_USEFUL)
    assert kit.press(useful, event_id="activity:A1") != []
    assert kit.press(useful, event_id="activity:A1") == []


def test_a_welcome_is_worded_by_the_service_once_per_event(kit: Kit) -> None:
    [hello] = kit.service.welcome("teams", WS, "U1", locale="en-US", event_id="activity:W1")
    assert isinstance(hello, PrivateNotice) and hello.user == "U1" and hello.channel is None
    assert "Coach" in card_of(hello).title and "Hola" not in card_of(hello).title
    assert kit.service.welcome("teams", WS, "U1", event_id="activity:W1") == []


def test_every_answer_says_its_audience(kit: Kit) -> None:
    """Tips and steps suit a thread; help and unknown input are about no one; the rest: private."""
    assert {only(kit.coach(text)).audience for text in ("consejos", "consejos 3", "pasos")} == {
        "thread"
    }
    assert {only(kit.coach(text)).audience for text in ("ayuda", "bailar")} == {"shareable"}
    assert only(kit.coach("consejos 2 publicar")).audience == "shareable"  # the refusal too
    assert {only(kit.coach(text)).audience for text in ("seguimientos", "equipo")} == {"private"}


def test_lead_gating(kit: Kit) -> None:
    for text in ("equipo", "canal pausar", "ajustes limite 5"):
        assert text_of(kit.coach(text)) == "Ese comando es para líderes del equipo.", text
    assert text_of(kit.naming("leads agregar", "ana")) == "Ese comando es para líderes del equipo."
    assert "Líderes" not in text_of(kit.coach("equipo", author="ADMIN", admin=True))
    assert "ADMIN" in text_of(kit.coach("leads"))  # the first admin became a lead
    assert "Equipo" in text_of(kit.coach("equipo", author="ADMIN"))  # and stays one


def test_team_figures_hide_people_below_three_agents(kit: Kit) -> None:
    kit.lead("LEAD")
    kit.say(JUDGEMENT, author="U1")
    kit.say(JUDGEMENT, author="U2")
    text = text_of(kit.coach("equipo", author="LEAD"))
    assert "Sugerencias enviadas: 2" in text
    assert "judgement.es.should-have: 2" in text
    assert "menos de 3 personas" in text and "U1:" not in text
    kit.say(JUDGEMENT, author="U3")
    text = text_of(kit.coach("equipo 30d", author="LEAD"))
    assert "últimos 30 días" in text
    assert "U1: 1 sugerencias" in text and "U3: 1 sugerencias" in text


def test_not_applicable_rates_are_shown(kit: Kit) -> None:
    kit.lead("LEAD")
    nudge = only(kit.say(JUDGEMENT))
    kit.press(button(card_of(nudge), actions.NUDGE_NOT_APPLICABLE))
    kit.say(JUDGEMENT, author="U2")
    text = text_of(kit.coach("equipo", author="LEAD"))
    assert "Marcadas «no aplica»: 50 %" in text
    assert "(no aplica: 50 %)" in text


def test_tips_publish_is_the_only_post_and_for_leads(kit: Kit) -> None:
    assert "líderes" in text_of(kit.coach("consejos 2 publicar"))
    kit.lead("LEAD")
    post, confirm = kit.coach("consejos 2 publicar", author="LEAD")
    assert isinstance(post, Post) and post.channel == "C1"
    assert post.card.title == "Consejo 2 de 7"
    assert isinstance(confirm, PrivateNotice)


def test_check_stores_nothing(kit: Kit) -> None:
    text = text_of(kit.coach("revisar Comprendo, pero le llamo mañana a las 10"))
    assert "Una idea antes de enviarlo" in text and "Prueba así" in text
    assert "mañana a las 10:00" in text
    assert (
        kit.store.count_nudges("slack", "T1", "U1", since=kit.clock.now().replace(year=2000)) == 0
    )
    assert kit.store.reminders_for_user("slack", "T1", "U1") == []
    assert "suena bien" in text_of(kit.coach("revisar Con gusto le ayudo."))


def test_language_per_user(kit: Kit) -> None:
    assert text_of(kit.coach("idioma en")) == "Done, I'll speak English with you."
    nudge = only(kit.say(JUDGEMENT))
    assert nudge.card.title != "Una idea para tu mensaje"
    assert "Una idea" in text_of(kit.say(JUDGEMENT, author="U2"))


def test_leads_and_settings(kit: Kit) -> None:
    kit.lead("LEAD")
    assert "ana ahora es líder" in text_of(kit.naming("leads agregar", "ana", author="LEAD"))
    assert "ya es líder" in text_of(kit.naming("leads agregar", "ana", author="LEAD"))
    assert "ya no es líder" in text_of(kit.naming("leads quitar", "ana", author="LEAD"))
    assert "último líder" in text_of(kit.naming("leads quitar", "LEAD", author="LEAD"))
    kit.coach("ajustes zona America/Lima", author="LEAD")
    assert "America/Lima" in text_of(kit.coach("ajustes", author="U1"))


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("ajustes zona Marte/Olympus", "No conozco la zona horaria «Marte/Olympus»"),
        ("ajustes limite 500", "El límite diario es un número de 1 a 200"),
        ("ajustes límite cero", "«cero» no sirve"),
        ("ajustes anticipacion 999", "La anticipación es un número de 0 a 120 minutos"),
        ("ajustes idioma fr", "es (español) o en (inglés)"),
        ("ajustes zona " + "x" * 5000, "«" + "x" * 39 + "…»"),
    ],
)
def test_a_bad_setting_value_is_named_and_changes_nothing(
    kit: Kit, command: str, says: str
) -> None:
    kit.lead("U1")
    before = kit.store.get_workspace("slack", WS)
    assert says in text_of(kit.coach(command))
    assert kit.store.get_workspace("slack", WS) == before
