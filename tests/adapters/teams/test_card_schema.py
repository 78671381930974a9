"""The official Adaptive Cards 1.5 schema as the judge of Calma's Teams cards: the vendored file
is the real one, it refuses what Teams would refuse, and the stand-in's audit (run after every
Teams door test, tests/adapters/teams/conftest.py) catches a card that breaks it."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

from aiohttp import ClientSession

from adapters.teams.chart import CHART_TYPE, chart_element
from adapters.teams.render import ADAPTIVE_CARD, adaptive_card
from bot.model import Button, Card, Chart, Section, Series
from tests.adapters.teams import adaptive_schema
from tests.adapters.teams.connector import BotConnector
from tests.adapters.teams.door_kit import card_of, channel_line, fresh, start_bot, texts_of
from tests.adapters.teams.payloads import TENANT
from tests.fakes import FakeClock

SHA256 = "6f4f958f6c0937c04926e4c4928fdeee4a9955a879e3ed248ae4df7bea9abc35"  # PROVENANCE.md


def a_card() -> dict:
    chart = Chart("Sugerencias", ("Juicios",), (Series("Ahora", (2,)), Series("Antes", (1,))))
    card = Card(
        title="Resumen",
        sections=(Section("Sugerencias: 2", heading="Por categoría"),),
        quote="Usted debería",
        note="Solo tú ves esto.",
        buttons=(Button("nudge.useful", "1", "Útil", "primary"), Button("x", "2", "No aplica")),
        chart=chart,
    )
    return adaptive_card(card)


def test_the_vendored_schema_is_the_official_1_5_file():
    data = adaptive_schema.SCHEMA_FILE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHA256
    schema = json.loads(data)
    assert schema["id"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert {"Table", "Action.Execute", "RichTextBlock", "ActionSet"} <= set(schema["definitions"])
    adaptive_schema.validator()  # check_schema: a well-formed draft-06 schema


def test_a_rendered_card_with_every_part_validates():
    assert adaptive_schema.errors(a_card()) == []


def test_the_schema_refuses_what_teams_would_not_draw():
    def broken(change) -> list[str]:
        card = a_card()
        change(card)
        return adaptive_schema.errors(card)

    def bad_size(c):
        c["body"][0]["size"] = "Huge"

    def unknown_property(c):
        c["actions"][0]["colour"] = "red"

    def unknown_element(c):
        c["body"].append({"type": "Carousel", "pages": []})

    def fact_without_value(c):
        c["body"].append({"type": "FactSet", "facts": [{"title": "a"}]})

    def no_version(c):
        del c["version"]

    assert any(".size" in e and "Huge" in e for e in broken(bad_size))
    assert any("colour" in e for e in broken(unknown_property))
    assert any("Carousel" in e for e in broken(unknown_element))
    assert any("'value' is a required property" in e for e in broken(fact_without_value))
    assert any("version" in e for e in broken(no_version))


def test_a_chart_is_checked_by_its_shape_and_drawn_as_its_fallback():
    chart = Chart("Sugerencias", ("Juicios",), (Series("Ahora", (2,)),))
    element = chart_element(chart, with_image=False)
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [element]}
    assert adaptive_schema.errors(card) == []
    bad_fallback = {**element, "fallback": {"type": "FactSet", "facts": [{"title": "x"}]}}
    assert adaptive_schema.errors({**card, "body": [bad_fallback]}) != []
    no_fallback = {k: v for k, v in element.items() if k != "fallback"}
    assert adaptive_schema.errors({**card, "body": [no_fallback]}) != []
    bad_points = {**element, "data": [{"legend": "Ahora", "values": [{"x": "J", "y": "dos"}]}]}
    assert adaptive_schema.errors({**card, "body": [bad_points]}) == [
        "$.body[0].data[0].values: not a list of {x: text, y: number}"
    ]
    assert element["type"] == CHART_TYPE


async def test_the_stand_ins_audit_catches_a_card_that_breaks_the_schema():
    server = BotConnector()
    await server.start()
    try:
        good, bad = a_card(), a_card()
        bad["body"][0]["weight"] = "Heavy"
        async with ClientSession() as session:
            for card in (good, bad):
                activity = {
                    "type": "message",
                    "attachments": [{"contentType": ADAPTIVE_CARD, "content": card}],
                }
                url = f"{server.url}v3/conversations/a:conv-1/activities"
                async with session.post(url, json=activity) as answer:
                    assert answer.status == 201
        (error,) = server.card_errors()
        assert "/v3/conversations/a:conv-1/activities" in error and "Heavy" in error
    finally:
        await server.stop()


async def test_every_kind_of_card_the_door_sends_validates(tmp_path, connector):
    """Nudge, promise acknowledgement, threat card, digest, my figures, reminder, follow-up
    offer: each card that reached the stand-in is valid (and the audit checks them again)."""
    clock = FakeClock(datetime.now(UTC))
    bot = await start_bot(tmp_path / "calma.db", connector, clock=clock)
    try:
        customer = {"id": "29:cliente", "name": "Cliente", "aadObjectId": "c0ffee00-0000-4000"}
        bot.store.add_customer("teams", TENANT, customer["aadObjectId"])
        line = channel_line(connector, "Usted debería haber leído el correo que le enviamos.")
        await bot.post(line)
        await bot.post(channel_line(connector, "Le llamo mañana a las 10 para confirmarlo."))
        threat = "Sé dónde queda la oficina de ustedes, así que cuídense."
        await bot.post(channel_line(connector, threat, **{"from": customer}))
        agent = line["from"]["aadObjectId"]
        bot.store.set_role("teams", TENANT, agent, "lead")
        for text in ("resumen", "mis-cifras"):
            await bot.post(
                fresh("personal_message", connector, text=text, **{"from": line["from"]})
            )
        (reminder,) = bot.store.reminders_for_user("teams", TENANT, agent, ("pending",))
        clock.set(reminder.due_at + timedelta(minutes=1))
        assert await bot.runtime.service.reminders.deliver(reminder.id)
        assert await bot.runtime.send_due_offers() == 1
        await bot.settle()

        sent = connector.sent()
        titles = [texts_of(card_of(a)).split("\n", 1)[0] for a in sent]
        for activity, title in zip(sent, titles, strict=True):
            assert adaptive_schema.errors(card_of(activity)) == [], title
        expected = (
            "Usted debería",  # the nudge quotes her line
            "Te lo recuerdo",  # the promise's acknowledgement
            "Este mensaje del cliente es una amenaza",
            "Resumen del equipo",
            "Tus cifras",
            "Le llamo mañana",  # the reminder
            "¿Cierras bien esa conversación?",  # the follow-up offer
        )
        for part in expected:
            assert any(part in texts_of(card_of(a)) for a in sent), (part, titles)
    finally:
        await bot.stop()
