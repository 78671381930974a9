"""Questions that take answers: the agent's next private line answers what Coach asked."""

from __future__ import annotations

from datetime import timedelta

from bot import actions
from bot.model import Command
from tests.bot.service_kit import WS, Kit, button, card_of, only, text_of


def direct(kit: Kit, text: str, author: str = "U1") -> list:
    """A plain line typed to Coach in private (the Slack DM or the Teams 1:1 chat)."""
    cmd = Command("slack", WS, "D1", author, text, kit.clock.now(), direct=True)
    return kit.service.on_command(cmd)


def test_remind_without_a_time_asks_when_and_the_next_line_answers(kit: Kit) -> None:
    asked = card_of(only(kit.coach("recordar enviar la factura a Pedro")))
    assert asked.title.startswith("¿Cuándo te lo recuerdo?")
    ack = card_of(only(direct(kit, "mañana a las 11")))
    assert ack.title == "Te lo recuerdo mañana a las 11:00: «enviar la factura a Pedro»"
    (row,) = kit.store.reminders_for_user("slack", WS, "U1", ("pending",))
    assert row.text == "enviar la factura a Pedro"
    assert row.channel == "C1"  # the reminder links back to where it was asked
    assert direct(kit, "mañana a las 11") != []  # answered: now it is an ordinary line again
    assert len(kit.store.reminders_for_user("slack", WS, "U1", ("pending",))) == 1


def test_an_answer_without_a_time_is_asked_again(kit: Kit) -> None:
    kit.coach("recordar enviar la factura a Pedro")
    again = card_of(only(direct(kit, "pronto, cuando puedas")))
    assert "No encontré una hora" in again.title
    only(direct(kit, "en 2 horas"))
    (row,) = kit.store.reminders_for_user("slack", WS, "U1", ("pending",))
    assert row.due_at == kit.clock.now() + timedelta(hours=2)


def test_a_time_without_an_object_asks_what(kit: Kit) -> None:
    asked = card_of(only(kit.coach("recordar mañana")))
    assert asked.title.startswith("¿Qué te recuerdo mañana")
    ack = card_of(only(direct(kit, "llamar a Ana")))
    assert "«llamar a Ana»" in ack.title
    (row,) = kit.store.reminders_for_user("slack", WS, "U1", ("pending",))
    assert row.text == "llamar a Ana"


def test_change_time_accepts_a_typed_time(kit: Kit) -> None:
    ack = card_of(only(kit.coach("recordar llamar a Ana en 1 hora")))
    hint = only(kit.press(button(ack, actions.FOLLOWUP_CHANGE_TIME)))
    assert "Escríbeme la nueva hora" in text_of([hint])
    moved = card_of(only(direct(kit, "mañana a las 11")))
    assert moved.title == "Te lo recuerdo mañana a las 11:00: «llamar a Ana»"
    (row,) = kit.store.reminders_for_user("slack", WS, "U1", ("pending",))
    assert kit.service.deps.when(row.due_at, kit.service.deps.who("slack", WS, "U1")).startswith(
        "mañana a las 11"
    )


def test_change_time_also_takes_coach_recordar_with_only_a_time(kit: Kit) -> None:
    ack = card_of(only(kit.coach("recordar llamar a Ana en 1 hora")))
    kit.press(button(ack, actions.FOLLOWUP_CHANGE_TIME))
    moved = card_of(only(kit.coach("recordar mañana a las 9")))
    assert moved.title == "Te lo recuerdo mañana a las 9:00: «llamar a Ana»"
    assert len(kit.store.reminders_for_user("slack", WS, "U1", ("pending",))) == 1


def test_a_line_in_a_channel_is_never_taken_as_the_answer(kit: Kit) -> None:
    kit.coach("recordar enviar la factura a Pedro")
    kit.say("Le escribo mañana a las 11 con la factura.")  # to the customer: its own promise
    texts = [r.text for r in kit.store.reminders_for_user("slack", WS, "U1", ("pending",))]
    assert "enviar la factura a Pedro" not in texts
    assert kit.service.awaits_answer("slack", WS, "U1")


def test_someone_elses_line_does_not_answer(kit: Kit) -> None:
    kit.coach("recordar enviar la factura a Pedro")
    direct(kit, "mañana a las 11", author="U2")
    assert kit.store.reminders_for_user("slack", WS, "U1", ("pending",)) == []


def test_a_command_instead_of_a_time_runs_and_drops_the_question(kit: Kit) -> None:
    kit.coach("recordar enviar la factura a Pedro")
    helped = text_of(direct(kit, "ayuda"))
    assert "/coach recordar" in helped  # the help, not "no encontré una hora"
    assert not kit.service.awaits_answer("slack", WS, "U1")


def test_a_restart_still_takes_the_answer(kit: Kit) -> None:
    kit.coach("recordar enviar la factura a Pedro")
    kit.restart()  # the question is in the database, not in the process
    assert kit.service.awaits_answer("slack", WS, "U1")
    ack = card_of(only(direct(kit, "mañana a las 11")))
    assert ack.title == "Te lo recuerdo mañana a las 11:00: «enviar la factura a Pedro»"
    (row,) = kit.store.reminders_for_user("slack", WS, "U1", ("pending",))
    assert (row.text, row.channel) == ("enviar la factura a Pedro", "C1")
    assert not kit.service.awaits_answer("slack", WS, "U1")


def test_another_instance_on_the_same_database_takes_the_answer(kit: Kit) -> None:
    other = Kit(kit.path, kit.clock)  # a second process behind the same file
    try:
        kit.coach("recordar mañana a las 9")
        moved = card_of(only(direct(other, "llamar a Ana")))
        assert moved.title == "Te lo recuerdo mañana a las 9:00: «llamar a Ana»"
        assert not kit.service.awaits_answer("slack", WS, "U1")
    finally:
        other.service.reminders.shutdown()
        other.store.close()


def test_change_time_survives_a_restart(kit: Kit) -> None:
    ack = card_of(only(kit.coach("recordar llamar a Ana en 1 hora")))
    kit.press(button(ack, actions.FOLLOWUP_CHANGE_TIME))
    kit.restart()
    moved = card_of(only(direct(kit, "mañana a las 11")))
    assert moved.title == "Te lo recuerdo mañana a las 11:00: «llamar a Ana»"
    assert len(kit.store.reminders_for_user("slack", WS, "U1", ("pending",))) == 1


def test_a_question_is_forgotten_after_half_an_hour(kit: Kit) -> None:
    kit.coach("recordar enviar la factura a Pedro")
    kit.clock.advance(timedelta(minutes=29))
    assert kit.service.awaits_answer("slack", WS, "U1")
    kit.clock.advance(timedelta(minutes=2))
    kit.restart()
    assert not kit.service.awaits_answer("slack", WS, "U1")
    direct(kit, "mañana a las 11")  # an ordinary line now: no reminder from the old question
    assert kit.store.reminders_for_user("slack", WS, "U1", ("pending",)) == []
    assert kit.store.open_question("slack", WS, "U1") is None  # the stale row went too


def test_unanswered_questions_are_pruned(kit: Kit) -> None:
    kit.coach("recordar enviar la factura a Pedro")
    kit.coach("recordar mañana", author="U2")
    kit.clock.advance(timedelta(minutes=31))
    assert kit.service.forget_old_questions() == 2
    assert kit.store.open_question("slack", WS, "U1") is None
