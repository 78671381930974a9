"""Issue 10 through the real Teams door: a question's card has a field (Input.Text) and its
Action.Submit; a typed time answers it and the card is updated in place (updateActivity), an
invalid one is said on the same card, which keeps its field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.adapters.teams import adaptive_schema
from tests.adapters.teams.connector import BotConnector
from tests.adapters.teams.door_kit import card_of, fresh, start_bot, submits, texts_of
from tests.adapters.teams.payloads import TENANT

AGENT_KEY = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"  # her Entra object id


@pytest.fixture
async def bot(tmp_path, connector):
    running = await start_bot(tmp_path / "calma.db", connector)
    yield running
    await running.stop()


def inputs(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in card["body"] if e.get("type") == "Input.Text"]


def typed(connector: BotConnector, asked: dict[str, Any], card_id: str, text: str) -> dict:
    """What Teams posts when the agent types `text` into the card's field and sends it."""
    data = {**submits(card_of(asked))["question.answer"], "answer": text}
    return fresh(
        "card_submit",
        connector,
        value=data,
        replyToId=card_id,
        conversation=asked["conversation"],
        **{"from": {"id": asked["recipient"]["id"], "aadObjectId": AGENT_KEY}},
    )


async def test_a_question_card_takes_a_typed_time(bot, connector) -> None:
    ask = fresh("personal_message", connector, text="recordar enviar la factura a Pedro")
    ask["from"]["aadObjectId"] = AGENT_KEY
    await bot.post(ask)
    [asked] = connector.sent(ask["conversation"]["id"])
    card = card_of(asked)
    assert adaptive_schema.errors(card) == []
    [field] = inputs(card)
    assert (field["id"], field["label"]) == ("answer", "¿Cuándo te lo recuerdo?")
    assert card["actions"][0]["data"] == {"action": "question.answer", "value": ""}
    card_id = connector.sent_id(asked)

    await bot.post(typed(connector, asked, card_id, "cuando puedas"))
    [again] = connector.updates()
    assert again.path.endswith(f"/activities/{card_id}")
    assert "No encontré una hora" in texts_of(card_of(again.body))
    assert inputs(card_of(again.body))  # the field stays for another try
    assert bot.store.reminders_for_user("teams", TENANT, AGENT_KEY, ("pending",)) == []

    await bot.post(typed(connector, asked, card_id, "mañana a las 11"))
    _, answered = connector.updates()
    assert answered.path.endswith(f"/activities/{card_id}")
    body = card_of(answered.body)
    assert "Te lo recuerdo mañana a las 11:00: «enviar la factura a Pedro»" in texts_of(body)
    assert inputs(body) == []
    [row] = bot.store.reminders_for_user("teams", TENANT, AGENT_KEY, ("pending",))
    assert row.text == "enviar la factura a Pedro"


async def test_cambiar_hora_replaces_the_acknowledgement_with_a_field(bot, connector) -> None:
    ask = fresh("personal_message", connector, text="recordar llamar a Ana en 1 hora")
    ask["from"]["aadObjectId"] = AGENT_KEY
    await bot.post(ask)
    [ack] = connector.sent(ask["conversation"]["id"])
    card_id = connector.sent_id(ack)
    change = submits(card_of(ack))["followup.change_time"]
    press = fresh(
        "card_submit",
        connector,
        value=change,
        replyToId=card_id,
        conversation=ask["conversation"],
        **{"from": {"id": ask["from"]["id"], "aadObjectId": AGENT_KEY}},
    )
    await bot.post(press)
    [swapped] = connector.updates()
    body = card_of(swapped.body)
    assert adaptive_schema.errors(body) == []
    assert "followup.change_time" not in submits(body)  # no second Cambiar hora
    [field] = inputs(body)
    assert field["id"] == "answer"
    data = {**submits(body)["question.answer"], "answer": "mañana a las 11"}
    answer = fresh(
        "card_submit",
        connector,
        value=data,
        replyToId=card_id,
        conversation=ask["conversation"],
        **{"from": {"id": ask["from"]["id"], "aadObjectId": AGENT_KEY}},
    )
    await bot.post(answer)
    _, moved = connector.updates()
    assert "Te lo recuerdo mañana a las 11:00: «llamar a Ana»" in texts_of(card_of(moved.body))
    assert len(bot.store.reminders_for_user("teams", TENANT, AGENT_KEY, ("pending",))) == 1
