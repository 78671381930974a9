"""`/coach leads` with each door's mention syntax; the last lead cannot be removed."""

from __future__ import annotations

import pytest

from bot.model import Command, Mention
from bot.service.mentions import mark_mentions
from tests.bot.service_kit import WS, Kit, text_of

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
