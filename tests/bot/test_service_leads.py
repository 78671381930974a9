"""`/coach leads` and `clientes` with people as the doors hand them over (plain ids marked with
`bot.model.person`); the last lead cannot be removed; typed markers never name anyone."""

from __future__ import annotations

import pytest

from bot.model import Command, people_in, person
from tests.bot.service_kit import WS, Kit, card_of, only, text_of


def naming(kit: Kit, words: str, user: str, author: str = "U1") -> list:
    """`/coach <words> <person>` with the person as a door names them."""
    return kit.coach(f"{words} {person(user)}", author, people=(user,))


def teams(kit: Kit, text: str, author: str, *people: str) -> str:
    cmd = Command("teams", WS, "19:chan", author, text, kit.clock.now(), people=people)
    return text_of(kit.service.on_command(cmd))


def test_a_named_person_is_their_id(kit: Kit) -> None:
    kit.lead("U1")
    assert text_of(naming(kit, "leads agregar", "U777")) == "U777 ahora es líder."
    assert kit.store.leads("slack", WS) == ["U1", "U777"]
    assert text_of(naming(kit, "leads quitar", "U777")) == "U777 ya no es líder."
    assert text_of(naming(kit, "leads quitar", "U1")).startswith("No puedo quitar al último líder")


def test_teams_people_are_their_entra_ids(kit: Kit) -> None:
    kit.service.on_install("teams", WS, "aad-lead")
    text = f"leads agregar {person('aad-ana')}"
    assert "ahora es líder" in teams(kit, text, "aad-lead", "aad-ana")
    assert kit.store.leads("teams", WS) == ["aad-ana", "aad-lead"]
    text = f"leads quitar {person('aad-ana')}"
    assert "ya no es líder" in teams(kit, text, "aad-lead", "aad-ana")
    text = f"leads quitar {person('aad-lead')}"
    assert "No puedo quitar al último líder" in teams(kit, text, "aad-lead", "aad-lead")


@pytest.mark.parametrize(
    "text", ["leads agregar Ana López", "leads agregar @Ana", "leads agregar <@U777|ana>"]
)
def test_a_name_no_door_marked_asks_for_a_mention(kit: Kit, text: str) -> None:
    kit.service.on_install("teams", WS, "aad-lead")
    assert "Menciona a la persona con @" in teams(kit, text, "aad-lead")
    assert kit.store.leads("teams", WS) == ["aad-lead"]


def marked(replies: list) -> str:
    """The answer with its people still marked, as a door receives it."""
    return "\n".join(r.card.marked_text() for r in replies)


def test_lead_answers_name_people_with_the_person_markup(kit: Kit) -> None:
    kit.lead("U1")
    added = card_of(only(naming(kit, "leads agregar", "U777")))
    assert added.title == f"{person('U777')} ahora es líder."
    assert marked(naming(kit, "leads agregar", "U777")) == f"{person('U777')} ya es líder."
    listing = marked(kit.coach("leads"))
    assert people_in(listing) == ["U1", "U777"] and "Líderes del equipo" in listing
    assert marked(naming(kit, "leads quitar", "U777")) == f"{person('U777')} ya no es líder."
    assert marked(naming(kit, "leads quitar", "U777")) == f"{person('U777')} no es líder."
    added = marked(naming(kit, "clientes agregar", "U5"))
    assert added == f"{person('U5')} queda marcado como cliente."
    naming(kit, "clientes agregar", "U4")
    assert people_in(marked(kit.coach("clientes"))) == ["U4", "U5"]
    removed = marked(naming(kit, "clientes quitar", "U5"))
    assert removed == f"{person('U5')} ya no está marcado como cliente."


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
    said = text_of(kit.coach(f"clientes agregar {typed}"))  # a mark no door vouched for
    assert "Menciona a la persona con @" in said
    assert kit.store.customers("slack", WS) == set()


def test_only_the_people_a_door_named_keep_their_mark(kit: Kit) -> None:
    kit.lead("U1")
    sly = f"leads agregar {person('U999')}"
    assert "Menciona a la persona con @" in text_of(kit.coach(sly, people=("U5",)))
    assert kit.store.leads("slack", WS) == ["U1"]
    # markers inside a named id are dropped on both sides, so the mark still matches
    sly_id = "aad-\ue000ana"
    kit.coach(f"leads agregar {person(sly_id)}", people=(sly_id,))
    assert kit.store.leads("slack", WS) == ["U1", "aad-ana"]
