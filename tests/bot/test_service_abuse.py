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
    assert f"«{ABUSE}»" in dms[0].card.plain_text()  # issue 10: the lead sees what was said
    confirm = replies[-1]
    assert isinstance(confirm, UpdateOriginal) and "avisé" in confirm.card.plain_text()
    assert confirm.card.buttons == ()  # answered: nothing left to press


def test_pressing_twice_alerts_the_leads_once(kit: Kit) -> None:
    kit.lead("L1")
    kit.say(HELLO, author="U1")
    kit.say(HELLO, author="U2")
    notes = kit.say(ABUSE, author="cust", customer=True)
    assert len(notes) == 2  # both agents of the conversation
    first = kit.press(button(notes[0].card, actions.ABUSE_ESCALATE), author="U1")
    again = kit.press(button(notes[0].card, actions.ABUSE_ESCALATE), author="U1")
    other = kit.press(button(notes[1].card, actions.ABUSE_ESCALATE), author="U2")
    assert [type(r) for r in first] == [DirectMessage, UpdateOriginal]
    for late in (again, other):
        (update,) = late
        assert isinstance(update, UpdateOriginal) and "ya están avisados" in update.card.title + (
            update.card.plain_text()
        )


def test_the_leads_alert_is_in_the_leads_language_and_quotes_at_most_300(kit: Kit) -> None:
    kit.lead("L1")
    kit.service.deps.store.set_user_settings("slack", "T1", "L1", lang="en")
    kit.say(HELLO, author="U1")
    long_line = ABUSE + " " + "x" * 400
    note = only(kit.say(long_line, author="cust", customer=True))
    (dm, _) = kit.press(button(note.card, actions.ABUSE_ESCALATE))
    assert isinstance(dm, DirectMessage)
    text = dm.card.plain_text()
    assert "is getting insults or threats from a customer in C1" in text
    quoted = text.split("«", 1)[1].rsplit("»", 1)[0]
    assert quoted.startswith(ABUSE) and len(quoted) <= 300


def test_a_customers_first_line_reaches_the_channels_agents(kit: Kit) -> None:
    kit.say(HELLO, author="U1", thread="t1")
    kit.advance(hours=3)  # nobody active now; a new conversation starts with an insult
    (note,) = kit.say(ABUSE, author="cust", customer=True, thread="t9")
    assert isinstance(note, PrivateNotice) and note.user == "U1" and note.thread == "t9"


def test_with_no_agent_known_the_leads_are_told(kit: Kit) -> None:
    kit.lead("L1")
    (note,) = kit.say(ABUSE, author="cust", customer=True, channel="C7")
    assert isinstance(note, PrivateNotice) and note.user == "L1"


def test_a_threat_gets_its_own_card(kit: Kit) -> None:
    kit.say(HELLO, author="U1")
    (note,) = kit.say("Sé dónde vives, te voy a buscar.", author="cust", customer=True)
    card = note.card
    assert card.title == "Este mensaje del cliente es una amenaza"
    text = card.plain_text()
    assert "seguridad" in text and "Avisa ya a un líder" in text and "No borres" in text
    assert "respeto" not in text  # no boundary line to copy for a threat
    assert [b.label for b in card.buttons] == ["Avisar a un líder ahora"]
