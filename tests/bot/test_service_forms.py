"""Questions with their own field (issue 10, items 4 and 6): the time typed into the card or the
Slack modal answers Coach, and a card that was answered or superseded keeps no live buttons."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import actions
from bot.model import Action, Command, UpdateOriginal
from tests.bot.service_kit import WS, Kit, button, card_of, only


def typed(kit: Kit, text: str, author: str = "U1") -> Action:
    return Action("slack", WS, "C1", author, actions.ANSWER, text, kit.clock.now())


def local_hour(kit: Kit) -> int:
    (row,) = kit.store.reminders_for_user("slack", WS, "U1", ("pending",))
    return row.due_at.astimezone(ZoneInfo("America/Mexico_City")).hour


def test_the_when_question_carries_a_field_for_the_time(kit: Kit) -> None:
    asked = card_of(only(kit.coach("recordar enviar la factura a Pedro")))
    assert asked.ask is not None and asked.ask.action == actions.ANSWER
    assert asked.ask.label == "¿Cuándo te lo recuerdo?"
    assert asked.ask.placeholder == "mañana a las 11"
    what = card_of(only(kit.coach("recordar mañana", author="U2")))
    assert what.ask is not None and what.ask.label == "¿Qué te recuerdo?"


def test_a_typed_time_makes_the_reminder_in_place_of_the_question(kit: Kit) -> None:
    kit.coach("recordar enviar la factura a Pedro")
    answered = kit.service.on_answer(typed(kit, "mañana a las 11"))
    assert answered.again is None
    (ack,) = answered.replies
    assert isinstance(ack, UpdateOriginal)  # the question's card becomes the acknowledgement
    assert ack.card.title == "Te lo recuerdo mañana a las 11:00: «enviar la factura a Pedro»"
    assert ack.card.ask is None
    assert local_hour(kit) == 11
    assert not kit.service.awaits_answer("slack", WS, "U1")


def test_a_typed_answer_without_a_time_is_an_error_on_the_field(kit: Kit) -> None:
    kit.coach("recordar enviar la factura a Pedro")
    answered = kit.service.on_answer(typed(kit, "ayuda"))  # in the field it is not a command
    assert answered.again is not None and "No encontré una hora" in answered.again
    assert kit.service.awaits_answer("slack", WS, "U1")  # still open
    assert kit.store.reminders_for_user("slack", WS, "U1", ("pending",)) == []
    (again,) = kit.service.on_action(typed(kit, "pronto"))  # a Teams card: the card says it
    assert isinstance(again, UpdateOriginal) and again.card.ask is not None
    assert "No encontré una hora" in again.card.title


def test_a_typed_answer_with_no_open_question_closes_the_card(kit: Kit) -> None:
    answered = kit.service.on_answer(typed(kit, "mañana a las 11"))
    assert (
        answered.again == "Esa pregunta ya no está abierta: vuelve a pedirlo con /coach recordar."
    )
    (closed,) = answered.replies
    assert isinstance(closed, UpdateOriginal) and closed.card.buttons == ()
    assert closed.card.ask is None
    assert kit.store.reminders_for_user("slack", WS, "U1", ("pending",)) == []


def test_change_time_replaces_the_acknowledgement_and_takes_a_typed_time(kit: Kit) -> None:
    ack = card_of(only(kit.coach("recordar llamar a Ana en 1 hora")))
    (change,) = kit.press(button(ack, actions.FOLLOWUP_CHANGE_TIME))
    # in place: the acknowledgement's Cancel / Change time are gone
    assert isinstance(change, UpdateOriginal) and change.card.ask is not None
    answered = kit.service.on_answer(typed(kit, "mañana a las 11"))
    (moved,) = answered.replies
    assert isinstance(moved, UpdateOriginal)
    assert moved.card.title == "Te lo recuerdo mañana a las 11:00: «llamar a Ana»"
    assert local_hour(kit) == 11


def test_buttons_of_a_superseded_change_time_card_change_nothing(kit: Kit) -> None:
    ack = card_of(only(kit.coach("recordar llamar a Ana en 1 hora")))
    change = card_of(only(kit.press(button(ack, actions.FOLLOWUP_CHANGE_TIME))))
    dm = kit.service.on_command(  # the new time typed in the DM instead of the card
        _direct(kit, "mañana a las 11")
    )
    assert "mañana a las 11:00" in card_of(only(dm)).title
    kit.advance(minutes=1)
    (stale,) = kit.press(button(change, actions.REMINDER_SNOOZE_1H))
    assert isinstance(stale, UpdateOriginal) and stale.card.buttons == ()
    assert "quedó atrás" in stale.card.title
    assert local_hour(kit) == 11  # not moved to "in one hour"
    (stale_cancel,) = kit.press(button(change, actions.FOLLOWUP_CANCEL))
    assert isinstance(stale_cancel, UpdateOriginal)
    assert len(kit.store.reminders_for_user("slack", WS, "U1", ("pending",))) == 1


def test_a_current_change_time_card_still_works(kit: Kit) -> None:
    ack = card_of(only(kit.coach("recordar llamar a Ana en 1 hora")))
    change = card_of(only(kit.press(button(ack, actions.FOLLOWUP_CHANGE_TIME))))
    (moved,) = kit.press(button(change, actions.REMINDER_TOMORROW_9))
    assert isinstance(moved, UpdateOriginal) and moved.card.buttons == ()
    assert local_hour(kit) == 9


def test_older_buttons_without_a_due_time_still_work(kit: Kit) -> None:
    ack = card_of(only(kit.coach("recordar llamar a Ana en 1 hora")))
    reminder_id = button(ack, actions.FOLLOWUP_CANCEL).value
    assert "@" not in reminder_id  # the acknowledgement's buttons carry the plain id
    (done,) = kit.press(button(ack, actions.FOLLOWUP_CANCEL))
    assert isinstance(done, UpdateOriginal)
    assert kit.store.reminders_for_user("slack", WS, "U1", ("pending",)) == []


def _direct(kit: Kit, text: str) -> Command:
    """A line typed to Coach in private."""
    return Command("slack", WS, "D1", "U1", text, kit.clock.now(), direct=True)
