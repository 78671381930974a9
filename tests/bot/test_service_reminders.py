"""CoachService promises and reminders: acknowledgement, every action, restarts, /coach recordar."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import actions
from bot.model import DirectMessage, PrivateNotice, UpdateOriginal
from tests.bot.service_kit import WS, Kit, button, card_of, only, text_of

PROMISE = "Le llamo mañana a las 10."  # 10:00 in Mexico City = 16:00 UTC on 10 Nov
DUE = datetime(2026, 11, 10, 16, 0, tzinfo=UTC)


def promise(kit: Kit, author: str = "U1") -> PrivateNotice:
    ack = only(kit.say(PROMISE, author=author, message_ref="m1"))
    assert isinstance(ack, PrivateNotice)
    return ack


async def fire(kit: Kit) -> DirectMessage:
    kit.clock.set(max(kit.clock.now(), DUE))
    await kit.timers.run_due()
    return kit.notifier.sent[-1]


async def test_a_promise_becomes_a_reminder_with_a_private_ack(kit: Kit) -> None:
    ack = promise(kit)
    assert ack.card.title == "Te lo recuerdo mañana a las 10:00: «Le llamo mañana a las 10»"
    assert [b.action for b in ack.card.buttons] == [
        actions.FOLLOWUP_CANCEL,
        actions.FOLLOWUP_CHANGE_TIME,
    ]
    (row,) = kit.store.reminders_for_user("slack", "T1", "U1")
    assert row.due_at == DUE and row.text == "Le llamo mañana a las 10"
    assert row.message_ref == "m1" and row.permalink and row.channel == "C1"
    # an edit of the same message is re-checked but gives no second reminder
    assert kit.say(PROMISE + " Saludos.", message_ref="m1", edited=True) == []
    assert len(kit.store.reminders_for_user("slack", "T1", "U1")) == 1
    dm = await fire(kit)
    assert dm.user == "U1" and dm.reminder_id == row.id and dm.message_ref == "m1"
    assert dm.card.title == "Recordatorio" and dm.card.quote == "Le llamo mañana a las 10"
    assert dm.card.link == row.permalink and dm.card.note is None
    assert [b.action for b in dm.card.buttons] == [
        actions.REMINDER_DONE,
        actions.REMINDER_SNOOZE_1H,
        actions.REMINDER_TOMORROW_9,
        actions.REMINDER_CANCEL,
    ]


async def test_reminder_lead_time_setting(kit: Kit) -> None:
    kit.coach("ajustes anticipacion 15", author="L", admin=True)
    promise(kit)
    (row,) = kit.store.reminders_for_user("slack", "T1", "U1")
    assert row.due_at == datetime(2026, 11, 10, 15, 45, tzinfo=UTC)


async def test_done(kit: Kit) -> None:
    promise(kit)
    dm = await fire(kit)
    done = only(kit.press(button(dm.card, actions.REMINDER_DONE)))
    assert isinstance(done, UpdateOriginal) and done.card.note == "Marcado como hecho. ¡Bien!"
    assert done.card.buttons == ()
    assert kit.store.get_reminder(dm.reminder_id or 0).status == "done"  # type: ignore[union-attr]
    again = only(kit.press(button(dm.card, actions.REMINDER_DONE)))
    assert "ya no está pendiente" in card_of(again).plain_text()


async def test_snooze_1h_fires_again(kit: Kit) -> None:
    promise(kit)
    dm = await fire(kit)
    snoozed = only(kit.press(button(dm.card, actions.REMINDER_SNOOZE_1H)))
    assert "Te lo vuelvo a recordar hoy a las 11:00" in card_of(snoozed).plain_text()
    kit.advance(minutes=59)
    assert await kit.timers.run_due() == []
    kit.advance(minutes=1)
    assert await kit.timers.run_due() == [dm.reminder_id]
    assert len(kit.notifier.sent) == 2


async def test_tomorrow_9_in_the_users_zone(kit: Kit) -> None:
    promise(kit)
    dm = await fire(kit)
    moved = only(kit.press(button(dm.card, actions.REMINDER_TOMORROW_9)))
    assert "mañana a las 9:00" in card_of(moved).plain_text()
    row = kit.store.get_reminder(dm.reminder_id or 0)
    assert row is not None and row.due_at == datetime(2026, 11, 11, 15, 0, tzinfo=UTC)


async def test_cancel_from_the_ack_and_from_the_reminder(kit: Kit) -> None:
    ack = promise(kit)
    gone = only(kit.press(button(ack.card, actions.FOLLOWUP_CANCEL)))
    assert card_of(gone).note == "Recordatorio cancelado."
    kit.clock.set(DUE)
    assert await kit.timers.run_due() == [] and kit.notifier.sent == []
    kit.say("Le escribo en 2 horas.", message_ref="m2")
    kit.advance(hours=2)
    await kit.timers.run_due()
    dm = kit.notifier.sent[-1]
    cancelled = only(kit.press(button(dm.card, actions.REMINDER_CANCEL)))
    assert card_of(cancelled).note == "Recordatorio cancelado."


async def test_change_time_offers_quick_choices(kit: Kit) -> None:
    ack = promise(kit)
    choices = only(kit.press(button(ack.card, actions.FOLLOWUP_CHANGE_TIME)))
    card = card_of(choices)
    assert "/coach recordar" in card.plain_text()
    assert [b.action for b in card.buttons] == [
        actions.REMINDER_SNOOZE_1H,
        actions.REMINDER_TOMORROW_9,
        actions.FOLLOWUP_CANCEL,
    ]
    moved = only(kit.press(button(card, actions.REMINDER_SNOOZE_1H)))
    assert "hoy a las 4:00" in card_of(moved).plain_text()  # 03:00 local + 1 h


async def test_only_the_owner_can_act(kit: Kit) -> None:
    ack = promise(kit)
    other = only(kit.press(button(ack.card, actions.FOLLOWUP_CANCEL), author="U2"))
    assert card_of(other).plain_text() == "Ese recordatorio es de otra persona."
    assert kit.store.get_reminder(int(ack.card.buttons[0].value)).status == "pending"  # type: ignore[union-attr]


async def test_late_delivery_after_restart(kit: Kit) -> None:
    promise(kit)
    kit.restart()  # down before it was due …
    kit.clock.set(DUE.replace(hour=18))  # … back up two hours after
    kit.restart()
    await kit.timers.run_due()
    (dm,) = kit.notifier.sent
    assert dm.card.note == "Llega con retraso: era para hoy a las 10:00."
    kit.restart()
    await kit.timers.run_due()
    assert len(kit.notifier.sent) == 1


async def test_remind_command(kit: Kit) -> None:
    ack = only(kit.coach("recordar llamar a Ana mañana a las 10"))
    assert card_of(ack).title == "Te lo recuerdo mañana a las 10:00: «llamar a Ana»"
    assert "¿Cuándo te lo recuerdo?" in text_of(kit.coach("recordar llamar a Ana"))
    assert "mañana a las 10:00" in text_of(kit.coach("seguimientos"))
    dm = await fire(kit)
    assert dm.card.quote == "llamar a Ana"


def test_the_same_promise_three_times_leaves_one_reminder_with_the_latest_wording(
    kit: Kit,
) -> None:
    """Issue 10: same author, conversation and due time: one reminder, the latest wording."""
    kit.say("Le llamo mañana a las 10.")
    kit.say("Le llamo mañana a las 10, no se preocupe.")
    kit.say("Entonces le llamo mañana a las 10 con la respuesta.")
    (row,) = kit.store.reminders_for_user("slack", WS, "U1", ("pending",))
    assert row.text == "le llamo mañana a las 10 con la respuesta"
    kit.say("Le llamo mañana a las 10.", thread="T9")  # another conversation: its own reminder
    kit.say("Le llamo mañana a las 12.")  # another time: its own reminder
    kit.say("Le llamo mañana a las 10.", author="U2")  # another agent: theirs
    assert len(kit.store.reminders_for_user("slack", WS, "U1", ("pending",))) == 3
    assert len(kit.store.reminders_for_user("slack", WS, "U2", ("pending",))) == 1
