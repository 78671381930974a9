"""Commands that name a person over real HTTP: `leads|clientes agregar @persona` in a channel.

Teams' mention entities carry the person's "29:" id and rarely the aadObjectId, while the door keys
authors by aadObjectId; so the door asks the Bot Connector stand-in (GET …/members/{id}) first.
Answers name people by their display name, never by an id or the private-use markers.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.adapters.teams.connector import BotConnector
from tests.adapters.teams.door_kit import FAST, card_of, channel_line, fresh, start_bot, texts_of
from tests.adapters.teams.payloads import CHANNEL, TENANT

LUCIA = "29:1qXv8mTgLp3rJ0bKsYdWcZ4eN7uA5iH2fO9yR6tM-kQ"
LUCIA_KEY = "6c2a0e4b-7d1f-4e3a-9b8c-5f2d1a0e9c7b"  # the installer, so a lead
ANA = {"id": "29:1Ana7pQwErTyUiOpAsDfGhJkLzXcVbNm-ZxCvBnM", "name": "Ana López"}
ANA_KEY = "a1a2a3a4-b5b6-4c7c-8d8d-e9e0f1f2f3f4"
CARLOS = {"id": "29:1CarlosQwErTyUiOpAsDfGhJkLzXcVbN-MnBvC", "name": "Carlos Ruiz"}
CARLOS_KEY = "c1c2c3c4-d5d6-4e7e-8f8f-a9a0b1b2b3b4"
JAVIER = {"id": "29:1JavierQwErTyUiOpAsDfGhJkLzXcVbN-PoIuY", "name": "Javier Soto"}
JAVIER_KEY = "0a9b8c7d-6e5f-4a3b-8c1d-2e3f4a5b6c7d"
JUDGEMENT = "Usted debería haber leído el correo que le enviamos."


@pytest.fixture
async def bot(tmp_path, connector):
    running = await start_bot(tmp_path / "calma.db", connector)
    await running.post(fresh("installation_update", connector))  # Lucía installs: first lead
    assert running.store.leads("teams", TENANT) == [LUCIA_KEY]
    yield running
    await running.stop()


def naming(connector: BotConnector, command: str, person: dict[str, str], **who: Any):
    """'@Coach <command> @person' in the channel, the person's mention with only a 29: id."""
    activity = fresh(
        "channel_mention_lead_command",
        connector,
        text=f"<at>Coach</at> {command} <at>{person['name']}</at>",
    )
    activity["entities"][1] = {
        "type": "mention",
        "mentioned": dict(person),
        "text": f"<at>{person['name']}</at>",
    }
    if who:
        activity["from"] = who
    return activity


def said_to(connector: BotConnector, member_id: str) -> str:
    """Everything the bot sent to one person's 1:1 chat (found by the chat it created)."""
    chats = [
        c.answer["id"]
        for c in connector.calls
        if c.method == "POST"
        and c.path == "/v3/conversations"
        and c.status < 300
        and c.body["members"] == [{"id": member_id}]
    ]
    return "\n".join(texts_of(card_of(a)) for chat in chats for a in connector.sent(chat))


def said_in_channel(connector: BotConnector) -> str:
    return "\n".join(
        texts_of(card_of(c.body)) for c in connector.calls if CHANNEL in c.path and c.body
    )


def team_command(connector: BotConnector, person: dict[str, str], key: str) -> dict[str, Any]:
    return fresh(
        "channel_mention_command",
        connector,
        text="<at>Coach</at> equipo",
        **{"from": {**person, "aadObjectId": key}},
    )


async def test_a_lead_adds_a_lead_by_mention_and_she_can_use_lead_commands(bot, connector):
    connector.add_member(ANA["id"], ANA_KEY, ANA["name"])
    lucia = fresh("channel_mention_lead_command", connector)  # the recorded two-mention payload
    status, _ = await bot.post(lucia)
    assert status == 201
    [lookup] = connector.member_lookups()
    assert lookup.path == f"/v3/conversations/{CHANNEL}/members/{ANA['id']}"
    assert lookup.status == 200
    assert bot.store.leads("teams", TENANT) == sorted([LUCIA_KEY, ANA_KEY])
    assert "Ana López ahora es líder." in said_to(connector, LUCIA)
    assert ANA_KEY not in said_to(connector, LUCIA) and ANA["id"] not in said_to(connector, LUCIA)
    assert "chat privado" in said_in_channel(connector)  # the thread only hears where
    assert "líder" not in said_in_channel(connector)

    await bot.post(team_command(connector, ANA, ANA_KEY))  # Ana, later, with her aadObjectId
    assert "Equipo: últimos 7 días" in said_to(connector, ANA["id"])

    await bot.post(team_command(connector, JAVIER, JAVIER_KEY))  # not a lead
    assert "Ese comando es para líderes del equipo." in said_to(connector, JAVIER["id"])
    assert "Equipo" not in said_to(connector, JAVIER["id"])


async def test_a_lead_marks_a_customer_by_mention_and_his_lines_are_not_coached(bot, connector):
    connector.add_member(CARLOS["id"], CARLOS_KEY, CARLOS["name"])
    await bot.post(naming(connector, "clientes agregar", CARLOS))
    assert bot.store.customers("teams", TENANT) == {CARLOS_KEY}
    before = len(connector.calls)
    status, _ = await bot.post(
        channel_line(connector, JUDGEMENT, **{"from": {**CARLOS, "aadObjectId": CARLOS_KEY}})
    )
    assert status == 201
    assert connector.calls[before:] == []  # no 1:1 chat, no nudge: he writes as a customer
    status, _ = await bot.post(
        channel_line(connector, JUDGEMENT, **{"from": {**JAVIER, "aadObjectId": JAVIER_KEY}})
    )
    assert "debería" in said_to(connector, JAVIER["id"])  # an agent's same line is coached


async def test_removing_a_lead_by_mention_looks_her_up_too(bot, connector):
    connector.add_member(ANA["id"], ANA_KEY, ANA["name"])
    await bot.post(naming(connector, "leads agregar", ANA))
    await bot.post(naming(connector, "leads quitar", ANA))
    assert len(connector.member_lookups()) == 2
    assert bot.store.leads("teams", TENANT) == [LUCIA_KEY]
    assert "Ana López ya no es líder." in said_to(connector, LUCIA)
    assert ANA_KEY not in said_to(connector, LUCIA)


@pytest.mark.parametrize("failure", [404, 500])
async def test_a_failed_member_lookup_keeps_the_teams_id_and_says_so(bot, connector, failure):
    if failure == 500:
        connector.add_member(ANA["id"], ANA_KEY, ANA["name"])
        connector.member_failure = 500  # every try of the lookup
    # 404: the stand-in's roster does not know Ana
    lucia = naming(connector, "leads agregar", ANA)
    status, _ = await bot.post(lucia)
    assert status == 201
    lookups = connector.member_lookups()
    assert lookups and {c.status for c in lookups} == {failure}
    assert len(lookups) == (1 if failure == 404 else FAST.attempts)  # our tries only, no msrest's
    assert bot.store.leads("teams", TENANT) == sorted([LUCIA_KEY, ANA["id"]])
    said = said_to(connector, LUCIA)
    assert "Ana López ahora es líder." in said and ANA["id"] not in said
    assert "No pude confirmar con Teams quién es Ana López" in said
    # and the door goes on: the next command is answered
    await bot.post(fresh("channel_mention_command", connector))
    assert "Siete consejos" in said_in_channel(connector)


async def test_a_non_leads_command_naming_someone_makes_no_lookup(bot, connector):
    connector.add_member(ANA["id"], ANA_KEY, ANA["name"])
    await bot.post(naming(connector, "leads agregar", ANA, **{**JAVIER, "aadObjectId": JAVIER_KEY}))
    assert connector.member_lookups() == []
    assert "Ese comando es para líderes del equipo." in said_to(connector, JAVIER["id"])
    assert bot.store.leads("teams", TENANT) == [LUCIA_KEY]


async def test_a_mention_with_its_aad_object_id_needs_no_lookup(bot, connector):
    await bot.post(naming(connector, "leads agregar", {**ANA, "aadObjectId": ANA_KEY}))
    assert connector.member_lookups() == []
    assert bot.store.leads("teams", TENANT) == sorted([LUCIA_KEY, ANA_KEY])


async def test_a_redelivered_command_naming_someone_is_looked_up_and_answered_once(bot, connector):
    connector.add_member(ANA["id"], ANA_KEY, ANA["name"])
    activity = naming(connector, "leads agregar", ANA)
    assert (await bot.post(activity))[0] == 201
    assert (await bot.post(activity))[0] == 201
    assert len(connector.member_lookups()) == 1
    assert said_to(connector, LUCIA).count("ahora es líder") == 1


def sent_bodies(connector: BotConnector) -> str:
    return "\n".join(str(c.body) for c in connector.calls if c.body)


def lead_command(connector: BotConnector, text: str) -> dict[str, Any]:
    """Lucía (a lead) types '@Coach <text>' in the channel."""
    return fresh("channel_mention_command", connector, text=f"<at>Coach</at> {text}")


async def test_the_leads_list_names_people_by_their_teams_name_or_says_someone(bot, connector):
    connector.add_member(ANA["id"], ANA_KEY, ANA["name"])
    await bot.post(naming(connector, "leads agregar", ANA))
    await bot.post(lead_command(connector, "leads"))
    said = said_to(connector, LUCIA)
    # Ana has never written to Calma: a new turn knows no name for her yet
    assert "alguien (id …f3f4)" in said
    assert ANA_KEY not in said and LUCIA_KEY not in said

    await bot.post(team_command(connector, ANA, ANA_KEY))  # Ana writes: her name is kept
    before = said_to(connector, LUCIA)
    await bot.post(lead_command(connector, "leads"))
    listing = said_to(connector, LUCIA)[len(before) :]
    assert "Líderes del equipo" in listing and "Ana López" in listing
    assert "alguien" not in listing and ANA_KEY not in listing
    # Ana lists the leads: Lucía installed Calma with no name on the activity, but her later
    # lines carried it, and her seed was renamed
    await bot.post(
        fresh(
            "channel_mention_command",
            connector,
            text="<at>Coach</at> leads",
            **{"from": {**ANA, "aadObjectId": ANA_KEY}},
        )
    )
    assert "Lucía Pérez" in said_to(connector, ANA["id"])
    assert "\ue000" not in sent_bodies(connector) and "\ue001" not in sent_bodies(connector)


async def test_a_lead_kept_under_the_29_id_moves_to_her_aad_id_when_she_writes(bot, connector):
    # the lookup fails (the stand-in's roster does not know Ana): she is stored under her 29: id
    await bot.post(naming(connector, "leads agregar", ANA))
    assert bot.store.leads("teams", TENANT) == sorted([LUCIA_KEY, ANA["id"]])

    # Ana writes a lead command; her activity carries both ids: the role moves, and it works
    await bot.post(team_command(connector, ANA, ANA_KEY))
    assert bot.store.leads("teams", TENANT) == sorted([LUCIA_KEY, ANA_KEY])
    assert bot.store.get_user("teams", TENANT, ANA["id"]) is None
    assert "Equipo: últimos 7 días" in said_to(connector, ANA["id"])


async def test_a_customer_kept_under_the_29_id_is_not_coached_once_he_writes(bot, connector):
    await bot.post(naming(connector, "clientes agregar", CARLOS))  # lookup fails: 29: id kept
    assert bot.store.customers("teams", TENANT) == {CARLOS["id"]}
    before = len(connector.calls)
    status, _ = await bot.post(
        channel_line(connector, JUDGEMENT, **{"from": {**CARLOS, "aadObjectId": CARLOS_KEY}})
    )
    assert status == 201
    assert bot.store.customers("teams", TENANT) == {CARLOS_KEY}
    assert connector.calls[before:] == []  # his first line already reads as a customer's
