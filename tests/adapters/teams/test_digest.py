"""The lead's digest through the Teams door: Teams' chart element with the PNG as its fallback,
the card valid against the official Adaptive Cards 1.5 schema, sent in the lead's 1:1 chat."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from adapters.teams.chart import CHART_TYPE
from adapters.teams.render import MAX_CARD_BYTES, adaptive_card
from bot.model import Card, Chart, Section, Series
from tests.adapters.teams import adaptive_schema
from tests.adapters.teams.door_kit import card_of, channel_line, fresh, start_bot, texts_of
from tests.adapters.teams.payloads import CHANNEL, TENANT

JUDGEMENT = "Usted debería haber leído el correo que le enviamos."


@pytest.fixture
async def bot(tmp_path, connector):
    running = await start_bot(tmp_path / "calma.db", connector)
    yield running
    await running.stop()


def charts(card):
    return [e for e in card["body"] if str(e.get("type", "")).startswith("Chart.")]


async def test_a_leads_digest_is_a_chart_card_with_a_png_fallback(bot, connector):
    await bot.post(channel_line(connector, JUDGEMENT))
    activity = fresh("personal_message", connector, text="resumen")
    lead = activity["from"]["aadObjectId"]
    bot.store.set_role("teams", TENANT, lead, "lead")
    sent_before = len(connector.sent())

    assert (await bot.post(activity))[0] == 201

    sent = connector.sent()[sent_before:]
    digests = [a for a in sent if "Resumen del equipo" in texts_of(card_of(a))]
    assert len(digests) == 1
    card = card_of(digests[0])
    assert adaptive_schema.errors(card) == []
    (chart,) = charts(card)
    assert chart["type"] == CHART_TYPE
    assert [d["legend"] for d in chart["data"]] == ["Últimos 7 días", "Periodo anterior"]
    assert chart["data"][0]["values"] == [{"x": "Juicios sobre el cliente", "y": 1}]
    fallback = chart["fallback"]
    assert fallback["type"] == "Image"
    data = base64.b64decode(fallback["url"].split(",", 1)[1])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(json.dumps(card).encode()) <= MAX_CARD_BYTES


def test_a_card_too_big_for_the_picture_keeps_the_chart_with_facts_as_fallback():
    labels = tuple(f"Categoría {i}" for i in range(6))
    chart = Chart("Sugerencias", labels, (Series("Ahora", (1,) * 6), Series("Antes", (2,) * 6)))
    sections = tuple(Section("x" * 1500, heading=f"Parte {i}") for i in range(10))
    card = adaptive_card(Card(title="Resumen", chart=chart, sections=sections))
    assert adaptive_schema.errors(card) == []
    assert len(json.dumps(card).encode()) <= MAX_CARD_BYTES
    (element,) = charts(card)
    assert element["fallback"]["type"] == "FactSet"
    assert element["fallback"]["facts"][0] == {
        "title": "Categoría 0",
        "value": "Ahora: 1 · Antes: 2",
    }


def test_the_schema_check_refuses_a_chart_without_fallback():
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": CHART_TYPE, "data": []}]}
    assert adaptive_schema.errors(card) != []


def lead_in_channel(connector, text: str):
    """A lead's `@Coach <text>` in a support channel."""
    activity = fresh("channel_mention_lead_command", connector, text=f"<at>Coach</at> {text}")
    activity["entities"] = [
        e for e in activity["entities"] if e["type"] != "mention" or e["text"] == "<at>Coach</at>"
    ]
    return activity


async def test_the_digest_asked_in_the_1to1_chat_comes_alone(bot, connector):
    await bot.post(channel_line(connector, JUDGEMENT))
    activity = fresh("personal_message", connector, text="/coach resumen")
    bot.store.set_role("teams", TENANT, activity["from"]["aadObjectId"], "lead")
    sent_before = len(connector.sent())
    await bot.post(activity)
    (only,) = connector.sent()[sent_before:]
    assert "Resumen del equipo" in texts_of(card_of(only))


async def test_the_digest_asked_in_a_channel_goes_to_the_1to1_with_a_pointer_in_the_thread(
    bot, connector
):
    await bot.post(channel_line(connector, JUDGEMENT))
    activity = lead_in_channel(connector, "resumen")
    bot.store.set_role("teams", TENANT, activity["from"]["aadObjectId"], "lead")
    sent_before = len(connector.sent())
    await bot.post(activity)
    sent = connector.sent()[sent_before:]
    chat = [texts_of(card_of(a)) for a in sent if CHANNEL not in a["conversation"]["id"]]
    thread = [texts_of(card_of(a)) for a in sent if CHANNEL in a["conversation"]["id"]]
    assert len(chat) == 1 and "Resumen del equipo" in chat[0]  # no "I sent it" note under it
    assert thread == ["Te respondo por nuestro chat privado 🙂"]


async def test_my_figures_come_with_a_chart_of_my_own_figures_only(bot, connector):
    line = channel_line(connector, JUDGEMENT)
    await bot.post(line)
    other = {"id": "29:otra", "name": "Otra", "aadObjectId": "0ther000-0000-4000-8000-000000000001"}
    defensive = "Comprendo el inconveniente, pero son las políticas."
    await bot.post(channel_line(connector, defensive, **{"from": other}))
    since = datetime.now(UTC) - timedelta(days=1)
    theirs = bot.store.nudges_by_category("teams", TENANT, other["aadObjectId"], since=since)
    assert dict(theirs) == {"defensive": 2}  # the team has figures that are not hers
    activity = fresh("personal_message", connector, text="mis-cifras", **{"from": line["from"]})
    sent_before = len(connector.sent())
    await bot.post(activity)
    (mine,) = connector.sent()[sent_before:]
    card = card_of(mine)
    assert "Tus cifras" in texts_of(card)
    assert adaptive_schema.errors(card) == []
    (chart,) = charts(card)
    assert [[v["x"] for v in s["values"]] for s in chart["data"]] == [
        ["Juicios sobre el cliente"],
        ["Juicios sobre el cliente"],
    ]  # hers only: the other agent's defensive line is not in it
    assert chart["data"][0]["values"][0]["y"] == 1
    assert chart["fallback"]["type"] == "Image"
