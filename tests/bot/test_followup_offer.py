"""The follow-up message after a hard conversation: offered privately, once, after the
conversation goes quiet, in the customer's language and form of address; "remind me tomorrow"
is a reminder row that survives a restart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import actions
from bot.model import Button, DirectMessage, PrivateNotice, UpdateOriginal
from tests.bot.service_kit import Kit
from tests.fakes import FakeClock

START = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)  # Tuesday 09:00 in Mexico City


@pytest.fixture
def kit(tmp_path):
    k = Kit(tmp_path / "calma.db", FakeClock(START))
    yield k
    k.service.reminders.shutdown()
    k.store.close()


def button(dm: DirectMessage, name: str) -> Button:
    return next(b for b in dm.card.buttons if b.action == name)


async def offers(kit: Kit) -> list[DirectMessage]:
    before = len(kit.notifier.sent)
    await kit.service.run_due_offers(kit.notifier)
    return kit.notifier.sent[before:]


async def test_an_abusive_conversation_gets_one_offer_after_it_goes_quiet(kit: Kit):
    kit.say("Hola, ya reviso su pedido", author="U1")
    kit.say("eres un idiota, no sirves para nada", author="C9", customer=True)
    kit.advance(minutes=10)
    assert await offers(kit) == []  # not quiet yet
    kit.advance(minutes=25)
    (offer,) = await offers(kit)
    assert offer.user == "U1"
    assert "tu paciencia" in (offer.card.quote or "")  # the customer wrote with "tú"
    assert [b.action for b in offer.card.buttons] == [
        actions.OFFER_COPY,
        actions.OFFER_REMIND,
        actions.OFFER_DISMISS,
    ]
    kit.advance(hours=2)
    assert await offers(kit) == []  # once


async def test_remind_me_tomorrow_is_a_reminder_that_survives_a_restart(kit: Kit):
    kit.say("Hola, ya reviso su pedido", author="U1")
    kit.say("usted es un inútil", author="C9", customer=True)
    kit.advance(minutes=31)
    (offer,) = await offers(kit)
    (update,) = kit.press(button(offer, actions.OFFER_REMIND), author="U1")
    assert isinstance(update, UpdateOriginal) and "mañana" in (update.card.note or "")
    kit.restart()
    kit.clock.set(datetime(2026, 11, 11, 14, 59, tzinfo=UTC))
    assert await kit.timers.run_due() == []
    kit.clock.set(datetime(2026, 11, 11, 15, 0, tzinfo=UTC))  # 09:00 the next day, her zone
    (fired,) = await kit.timers.run_due()
    reminder = kit.notifier.sent[-1]
    assert reminder.reminder_id == fired
    assert "mensaje de seguimiento" in reminder.card.plain_text()


async def test_copy_and_no_thanks(kit: Kit):
    kit.say("Hello, I'm checking your order", author="U1")
    kit.say("you are useless idiots", author="C9", customer=True)
    kit.advance(minutes=31)
    (offer,) = await offers(kit)
    assert "thank you for reaching out" in (offer.card.quote or "")  # the customer's language
    (copy,) = kit.press(button(offer, actions.OFFER_COPY), author="U1")
    assert isinstance(copy, PrivateNotice) and copy.card.quote == offer.card.quote
    assert kit.press(button(offer, actions.OFFER_COPY), author="U2")[0].card.title == (
        "Esa propuesta ya no está disponible."
    )  # not yours
    (done,) = kit.press(button(offer, actions.OFFER_DISMISS), author="U1")
    assert isinstance(done, UpdateOriginal) and done.card.buttons == ()


async def test_several_nudges_or_an_escalation_count_one_nudge_does_not(kit: Kit):
    kit.say("Usted debería haber leído el correo", author="U1", channel="C1")
    kit.say("Usted debería haber leído el correo", author="U2", channel="C2")
    kit.advance(minutes=5)
    kit.say("Comprendo el inconveniente, pero son las políticas", author="U2", channel="C2")
    kit.advance(minutes=31)
    assert [o.user for o in await offers(kit)] == ["U2"]
    kit.say("Hola", author="U3", channel="C3")
    kit.say("eres un idiota", author="C9", customer=True, channel="C3")
    kit.advance(minutes=31)
    assert [o.user for o in await offers(kit)] == ["U3"]


def test_no_text_of_the_conversation_is_kept(kit: Kit):
    kit.say("Hola, ya reviso su pedido 4711", author="U1")
    kit.say("eres un idiota", author="C9", customer=True)
    rows = list(kit.store.db.query("SELECT * FROM conversations"))
    assert rows and all("4711" not in str(r) and "idiota" not in str(r) for r in rows)


async def test_a_failed_offer_is_sent_again_from_the_outbox_once_even_after_a_restart(kit: Kit):
    kit.say("Hola, ya reviso su pedido", author="U1")
    kit.say("eres un idiota", author="C9", customer=True)
    kit.advance(minutes=31)
    kit.notifier.fail_next = 1  # the platform is unreachable the first time
    assert await offers(kit) == []
    assert kit.notifier.attempts == 1
    (queued,) = kit.store.db.query("SELECT platform, kind, payload FROM outbox")
    assert queued["kind"] == "followup.offer" and queued["payload"].isdigit()  # an id, no text

    kit.restart()  # the offer waits in the database, not in memory
    kit.service.send_offers_by("slack", kit.notifier)  # as the runtime does when a door opens
    assert await offers(kit) == []  # marked offered: not offered a second time
    assert await kit.service.outbox.sweep() == 0  # its lease has not ended yet
    kit.advance(seconds=21)
    assert await kit.service.outbox.sweep() == 1
    (offer,) = kit.notifier.sent
    assert offer.user == "U1" and "tu paciencia" in (offer.card.quote or "")
    assert kit.store.outbox_depth() == 0
    kit.advance(minutes=5)
    assert await kit.service.outbox.sweep() == 0
    assert await offers(kit) == []
    assert len(kit.notifier.sent) == 1  # sent once
