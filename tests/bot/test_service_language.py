"""The coach answers in the agent's language; what it quotes and what it suggests sending stay in
the language of the line."""

from __future__ import annotations

from tests.bot.service_kit import Kit, card_of, only


def test_an_english_speaking_agent_gets_english_around_a_spanish_excerpt(kit: Kit) -> None:
    kit.coach("idioma en")
    card = card_of(only(kit.say("Usted debería haber leído las instrucciones.")))
    assert card.title == "A thought on your message"
    assert card.quote == "Usted debería haber leído"
    assert [s.heading for s in card.sections] == ["Why", "Try this"]
    assert card.sections[0].text.startswith("It sounds like blame")
    assert card.sections[1].text == "Leamos juntos las instrucciones."  # what they could send
    assert [b.label for b in card.buttons][:2] == ["Useful", "Doesn't apply"]
    assert card.note is not None and card.note.startswith("Tip 3: ")


def test_a_rule_with_no_english_twin_is_explained_by_its_category(kit: Kit) -> None:
    kit.coach("idioma en")
    card = card_of(only(kit.say("Hubiera sido mejor que nos avisara antes.")))
    assert card.sections[0].text.startswith("It sounds like blame")


def test_the_explanation_names_the_word_the_agent_used(kit: Kit) -> None:
    card = card_of(only(kit.say("Entiendo perfectamente, sin embargo no puedo hacer nada.")))
    why = card.sections[0].text
    assert "«sin embargo»" in why and "pero" not in why
