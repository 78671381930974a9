"""CoachService on abusive customer lines: private support for active agents, escalation."""

from __future__ import annotations

from bot import actions
from bot.model import DirectMessage, Post, PrivateNotice, UpdateOriginal
from tests.bot.service_kit import Kit, button, only

ABUSE = "Eres un idiota, no sirves para nada."
HELLO = "Hola, con gusto le ayudo."


def test_abuse_goes_privately_to_agents_active_in_the_last_30_minutes(kit: Kit) -> None:
    kit.say(HELLO, author="U1")
    kit.advance(minutes=20)
    kit.say(HELLO, author="U2")
    kit.say(HELLO, author="U3", channel="C2")
    kit.advance(minutes=15)  # U1 wrote 35 minutes ago
    notes = kit.say(ABUSE, author="cust", customer=True)
    assert [type(n) for n in notes] == [PrivateNotice]
    note = notes[0]
    assert isinstance(note, PrivateNotice) and note.user == "U2" and note.channel == "C1"
    assert note.card.title == "Este mensaje del cliente cruza un límite"
    assert "Quiero ayudarte" in note.card.sections[1].text  # the customer said "eres": tú
    assert ABUSE not in note.card.plain_text()
    assert not any(isinstance(r, Post) for r in notes)


def test_nobody_active_means_nobody_is_told(kit: Kit) -> None:
    assert kit.say(ABUSE, author="cust", customer=True) == []
    kit.say(HELLO, author="U1")
    assert kit.say("¿Cuándo llega mi pedido?", author="cust", customer=True) == []


def test_thread_agents_first(kit: Kit) -> None:
    kit.say(HELLO, author="U1", thread="t1")
    kit.say(HELLO, author="U2", thread="t2")
    notes = kit.say(ABUSE, author="cust", customer=True, thread="t1")
    assert [n.user for n in notes] == ["U1"]  # type: ignore[union-attr]


def test_escalate_tells_the_leads_and_confirms(kit: Kit) -> None:
    kit.say(HELLO, author="U1")
    note = only(kit.say(ABUSE, author="cust", customer=True))
    press = button(note.card, actions.ABUSE_ESCALATE)
    nobody = only(kit.press(press))
    assert isinstance(nobody, UpdateOriginal) and "no hay líderes" in nobody.card.plain_text()
    kit.lead("L1")
    kit.lead("L2")
    replies = kit.press(press)
    dms = [r for r in replies if isinstance(r, DirectMessage)]
    assert sorted(d.user for d in dms) == ["L1", "L2"]
    assert "U1" in dms[0].card.plain_text() and "C1" in dms[0].card.plain_text()
    assert ABUSE not in dms[0].card.plain_text()
    confirm = replies[-1]
    assert isinstance(confirm, UpdateOriginal) and "avisé" in confirm.card.plain_text()
