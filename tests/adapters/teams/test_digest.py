"""The lead's digest through the Teams door: Teams' chart element with the PNG as its fallback,
the card valid against the official Adaptive Cards 1.5 schema, sent in the lead's 1:1 chat."""

from __future__ import annotations

import base64
import json

import pytest

from adapters.teams.chart import CHART_TYPE
from adapters.teams.render import MAX_CARD_BYTES, adaptive_card
from bot.model import Card, Chart, Section, Series
from tests.adapters.teams import adaptive_schema
from tests.adapters.teams.door_kit import card_of, channel_line, fresh, start_bot, texts_of
from tests.adapters.teams.payloads import TENANT

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
