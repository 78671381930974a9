"""`/coach leads` with each door's mention syntax; the last lead cannot be removed."""

from __future__ import annotations

import pytest

from bot.model import Command, Mention, people_in, person
from bot.service.mentions import mark_mentions
from tests.bot.service_kit import WS, Kit, card_of, only, text_of

ANA = Mention("Ana López", "aad-ana")


def teams(kit: Kit, text: str, author: str, *mentions: Mention) -> str:
    cmd = Command("teams", WS, "19:chan", author, text, kit.clock.now(), mentions=mentions)
    return text_of(kit.service.on_command(cmd))


def test_slack_mentions_name_the_user_id(kit: Kit) -> None:
    kit.lead("U1")
    assert text_of(kit.coach("leads agregar <@U777|ana>")) == "U777 ahora es líder."
    assert kit.store.leads("slack", WS) == ["U1", "U777"]
    assert text_of(kit.coach("leads quitar <@U777>")) == "U777 ya no es líder."
    assert text_of(kit.coach("leads quitar <@U1|yo>")).startswith("No puedo quitar al último líder")


@pytest.mark.parametrize(
    "text",
    ["leads agregar Ana López", "leads agregar @Ana López", "leads agregar <at>Ana López</at>"],
)
def test_teams_mentions_arrive_as_names_and_become_ids(kit: Kit, text: str) -> None:
    kit.service.on_install("teams", WS, "aad-lead")
    assert "ahora es líder" in teams(kit, text, "aad-lead", ANA)
    assert kit.store.leads("teams", WS) == ["aad-ana", "aad-lead"]
    assert "ya no es líder" in teams(kit, "leads quitar Ana López", "aad-lead", ANA)
    assert "No puedo quitar al último líder" in teams(
        kit, "leads quitar Lead", "aad-lead", Mention("Lead", "aad-lead")
    )


def test_a_bare_name_without_a_mention_still_asks_for_one(kit: Kit) -> None:
    kit.service.on_install("teams", WS, "aad-lead")
    assert "Menciona a la persona con @" in teams(kit, "leads agregar Ana López", "aad-lead")


def test_mark_mentions_wraps_whole_names_once() -> None:
    assert mark_mentions("leads agregar Ana", [Mention("Ana", "x")]) == "leads agregar <at>Ana</at>"
    assert mark_mentions("leads agregar Anabel", [Mention("Ana", "x")]) == "leads agregar Anabel"
    assert (
        mark_mentions("leads agregar Ana López", [Mention("Ana", "x"), ANA])
        == "leads agregar <at>Ana López</at>"
    )


def marked(replies: list) -> str:
    """The answer with its people still marked, as a door receives it."""
    return "\n".join(r.card.marked_text() for r in replies)


def test_lead_answers_name_people_with_the_person_markup(kit: Kit) -> None:
    kit.lead("U1")
    added = card_of(only(kit.coach("leads agregar <@U777|ana>")))
    assert added.title == f"{person('U777')} ahora es líder."
    assert marked(kit.coach("leads agregar <@U777>")) == f"{person('U777')} ya es líder."
    listing = marked(kit.coach("leads"))
    assert people_in(listing) == ["U1", "U777"] and "Líderes del equipo" in listing
    assert marked(kit.coach("leads quitar <@U777>")) == f"{person('U777')} ya no es líder."
    assert marked(kit.coach("leads quitar <@U777>")) == f"{person('U777')} no es líder."
    assert (
        marked(kit.coach("clientes agregar <@U5>")) == f"{person('U5')} queda marcado como cliente."
    )
    kit.coach("clientes agregar <@U4>")
    assert people_in(marked(kit.coach("clientes"))) == ["U4", "U5"]
    removed = marked(kit.coach("clientes quitar <@U5>"))
    assert removed == f"{person('U5')} ya no está marcado como cliente."


def test_teams_answers_name_the_mentioned_person_by_id_markup(kit: Kit) -> None:
    kit.service.on_install("teams", WS, "aad-lead")
    [reply] = kit.service.on_command(
        Command(
            "teams",
            WS,
            "19:c",
            "aad-lead",
            "leads agregar Ana López",
            kit.clock.now(),
            mentions=(ANA,),
        )
    )
    assert reply.card.marked_text() == f"{person('aad-ana')} ahora es líder."


def test_per_agent_team_figures_name_people(kit: Kit) -> None:
    kit.lead("LEAD")
    for author in ("U1", "U2", "U3"):
        kit.say("Usted debería haber leído el correo que le enviamos.", author=author)
    text = marked(kit.coach("equipo", author="LEAD"))
    assert people_in(text) == ["U1", "U2", "U3"]
    assert f"{person('U1')}: 1 sugerencias" in text


@pytest.mark.parametrize("typed", ["\ue000U999\ue001", "\ue000U999", "U9\ue00199"])
def test_typed_markers_never_become_a_person(kit: Kit, typed: str) -> None:
    kit.lead("U1")
    answer = marked(kit.coach(f"reglas desactivar {typed}"))
    assert people_in(answer) == [] and "\ue000" not in answer and "\ue001" not in answer
    assert "U999" in answer
    kit.coach(f"clientes agregar @{typed}")
    assert kit.store.customers("slack", WS) == {"U999"}  # stored without the markers


def test_markers_in_a_teams_mention_name_are_dropped_too(kit: Kit) -> None:
    kit.service.on_install("teams", WS, "aad-lead")
    sly = Mention("Ana\ue000U999\ue001", "aad-\ue000ana")
    [reply] = kit.service.on_command(
        Command(
            "teams",
            WS,
            "19:c",
            "aad-lead",
            "leads agregar AnaU999",
            kit.clock.now(),
            mentions=(sly,),
        )
    )
    assert people_in(reply.card.marked_text()) == ["aad-ana"]
    assert kit.store.leads("teams", WS) == ["aad-ana", "aad-lead"]
