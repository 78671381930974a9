"""CoachService on agent lines: private nudges, fatigue, mute, rules, pause, dedupe, storage."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot import actions
from bot.model import PrivateNotice, PrivateNudge, UpdateOriginal
from bot.store.sqlite import SqliteStore
from tests.bot.service_kit import WS, Kit, button, card_of, only, text_of
from tests.bot.store.peek import feedback_of
from tests.fakes import FakeClock

JUDGEMENT = "Usted debería haber leído las instrucciones."
JUDGEMENT_2 = "Usted debería haber revisado su correo antes."
DEFENSIVE = "Comprendo, pero eso no es culpa nuestra."
CLEAN = "Hola, ¿en qué puedo ayudarle hoy?"


def test_a_judgemental_line_gets_one_private_nudge_for_its_author(kit: Kit) -> None:
    nudge = only(kit.say(JUDGEMENT, author="U1"))
    assert isinstance(nudge, PrivateNudge)
    assert (nudge.user, nudge.channel, nudge.workspace) == ("U1", "C1", WS)
    card = nudge.card
    assert card.title == "Una idea para tu mensaje"
    assert card.quote == "Usted debería haber leído"
    assert [s.heading for s in card.sections] == ["Por qué", "Prueba así"]
    assert card.note is not None and card.note.startswith("Consejo 3: ")
    assert [b.action for b in card.buttons] == [
        actions.NUDGE_USEFUL,
        actions.NUDGE_NOT_APPLICABLE,
        actions.NUDGE_MUTE_1H,
        actions.SHOW_TIPS,
    ]
    assert {b.value for b in card.buttons} == {str(nudge.nudge_id)}
    row = kit.store.get_nudge(nudge.nudge_id)
    assert row is not None and row.rule == "judgement.es.should-have"
    assert row.excerpt == "Usted debería haber leído"  # never the whole message


def test_judgement_comes_before_defensive_in_one_card(kit: Kit) -> None:
    nudge = only(kit.say("Como ya le expliqué, debería haber leído el manual."))
    assert isinstance(nudge, PrivateNudge)
    assert nudge.card.quote == "debería haber leído"  # judgement first, though it comes later
    assert len(nudge.card.sections) == 4  # two findings: why + suggestion each
    ids = [int(v) for v in nudge.card.buttons[0].value.split(",")]
    rules = [kit.store.get_nudge(i).rule for i in ids]  # type: ignore[union-attr]
    assert rules == ["judgement.es.should-have", "defensive.es.as-i-said"]


def test_a_clean_line_gets_nothing(kit: Kit) -> None:
    assert kit.say(CLEAN) == []


def test_a_redelivered_event_does_nothing(kit: Kit) -> None:
    assert len(kit.say(JUDGEMENT, event_id="Ev1")) == 1
    assert kit.say(JUDGEMENT, event_id="Ev1") == []
    kit.restart()  # the dedupe is persistent
    assert kit.say(JUDGEMENT, event_id="Ev1") == []


def test_an_event_the_doors_inbox_let_through_leaves_no_seen_mark(kit: Kit) -> None:
    """The inbox's row already dedupes it by its event id: the service writes no mark of its
    own (one write less a line), and still nudges."""
    assert len(kit.say(JUDGEMENT, event_id="Ev1", deduplicated=True)) == 1
    assert kit.store.mark_seen("slack", "Ev1")  # nothing was marked
    assert len(kit.say(JUDGEMENT_2, author="U2", event_id="Ev2")) == 1
    assert not kit.store.mark_seen("slack", "Ev2")  # any other event is marked as before


def test_same_rule_at_most_once_in_ten_minutes(kit: Kit) -> None:
    assert len(kit.say(JUDGEMENT)) == 1
    kit.advance(minutes=9, seconds=59)
    held = only(kit.say(JUDGEMENT_2))  # the first silence of the day says why, once
    assert isinstance(held, PrivateNotice) and held.card.buttons == ()
    assert "hace menos de 10 minutos" in held.card.title and "/coach revisar" in held.card.title
    assert kit.say(JUDGEMENT_2, thread="t2") == []  # later silences stay silent
    assert len(kit.say(DEFENSIVE)) == 1  # another rule is not held back
    kit.advance(seconds=1)
    assert len(kit.say(JUDGEMENT_2)) == 1
    assert len(kit.say(JUDGEMENT, author="U2")) == 1  # per author


def test_daily_cap_counts_in_the_users_day(kit: Kit) -> None:
    kit.coach("ajustes limite 3", author="LEAD", admin=True)
    for _ in range(3):
        assert len(kit.say(JUDGEMENT)) == 1
        kit.advance(minutes=11)
    held = text_of(kit.say(JUDGEMENT))
    assert "Hoy ya te di 3 sugerencias, el límite diario" in held and "/coach revisar" in held
    # 09:33 UTC is 03:33 in Mexico City: the user's next day starts at 06:00 UTC tomorrow.
    kit.advance(hours=20)  # 23:33 local, same day
    assert kit.say(JUDGEMENT) == []
    kit.advance(hours=1)  # 00:33 local, a new day
    assert len(kit.say(JUDGEMENT)) == 1


def test_mute_1h_today_and_off(kit: Kit) -> None:
    assert "1 hora" in text_of(kit.coach("silenciar 1h"))
    assert kit.say(JUDGEMENT) == []
    kit.advance(hours=1, seconds=1)
    assert len(kit.say(JUDGEMENT)) == 1
    kit.coach("silenciar hoy")
    kit.advance(hours=12)
    assert kit.say(JUDGEMENT) == []
    kit.coach("silenciar off")
    assert len(kit.say(JUDGEMENT)) == 1


def test_mute_button_and_feedback_buttons(kit: Kit) -> None:
    nudge = card_of(only(kit.say(JUDGEMENT)))
    done = only(kit.press(button(nudge, actions.NUDGE_NOT_APPLICABLE)))
    assert isinstance(done, UpdateOriginal) and done.card.buttons == ()
    assert "no aplicaba" in (done.card.note or "")
    nudge_id = int(nudge.buttons[0].value)
    row = kit.store.get_nudge(nudge_id)
    assert row is not None and row.outcome == "not_applicable"
    assert kit.press(button(nudge, actions.NUDGE_USEFUL), author="U2") == []  # not theirs
    tips = only(kit.press(button(nudge, actions.SHOW_TIPS)))
    assert isinstance(tips, PrivateNotice) and len(tips.card.sections) == 7
    kit.press(button(nudge, actions.NUDGE_MUTE_1H))
    kit.advance(minutes=30)
    assert kit.say(DEFENSIVE) == []
    kinds = [kind for _, kind, _ in feedback_of(kit.store, nudge_id)]
    assert kinds == ["not_applicable", "tips", "muted"]


def test_a_lead_disables_and_enables_a_rule(kit: Kit) -> None:
    gated = kit.coach("reglas desactivar judgement.es.should-have")
    assert "líderes" in text_of(gated)
    answer = kit.coach("reglas desactivar judgement.es.should-have", author="LEAD", admin=True)
    assert "desactivada" in text_of(answer)
    assert kit.say(JUDGEMENT) == []
    assert "(desactivada)" in text_of(kit.coach("reglas"))
    assert "No conozco la regla" in text_of(kit.coach("reglas activar nada.es.x", author="LEAD"))
    kit.coach("reglas activar judgement.es.should-have", author="LEAD")
    assert len(kit.say(JUDGEMENT)) == 1


def test_a_paused_channel_gets_nothing(kit: Kit) -> None:
    kit.lead("LEAD")
    assert "pausé" in text_of(kit.coach("canal pausar", author="LEAD"))
    assert kit.say(JUDGEMENT) == []
    assert kit.say("Le llamo mañana a las 10.") == []
    kit.coach("canal activar", author="LEAD")
    assert len(kit.say(JUDGEMENT)) == 1


def test_customers_are_never_coached(kit: Kit) -> None:
    assert kit.say(JUDGEMENT, customer=True) == []
    kit.lead("LEAD")
    kit.naming("clientes agregar", "ana", author="LEAD")
    assert kit.say(JUDGEMENT, author="ana") == []


def test_a_locked_database_gives_a_clear_private_notice(db_path: Path, clock: FakeClock) -> None:
    kit = Kit(db_path, clock)
    kit.store.close()
    kit.store = SqliteStore(db_path, clock=clock, busy_timeout=0.05)
    kit.service.deps = kit.service.deps.__class__(
        kit.store,
        clock,
        kit.service.reminders,
        kit.settings,
        kit.service.deps.activity,
        kit.service.deps.analyze,
    )
    other = sqlite3.connect(db_path)
    other.execute("BEGIN EXCLUSIVE")
    try:
        notice = only(kit.say(JUDGEMENT))
        assert isinstance(notice, PrivateNotice) and notice.user == "U1"
        assert "base de datos" in notice.card.title
        notice = only(kit.coach("silenciar 1h"))
        assert "base de datos" in notice.card.title
    finally:
        other.rollback()
        other.close()
    assert len(kit.say(JUDGEMENT)) == 1  # and it works again once the lock is gone
    kit.store.close()
