"""The follow-up offer through the Teams door: after an abusive conversation goes quiet, one
card in the agent's 1:1 chat (valid against the official Adaptive Cards 1.5 schema), never the
channel; pressing "copy" answers with the draft to copy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.adapters.teams import adaptive_schema
from tests.adapters.teams.door_kit import card_of, channel_line, fresh, start_bot, texts_of
from tests.adapters.teams.payloads import CHANNEL, TENANT
from tests.fakes import FakeClock

AGENT_KEY = "6c2a0e4b-7d1f-4e3a-9b8c-5f2d1a0e9c7b"
CUSTOMER = {"id": "29:cliente-externo", "name": "Cliente", "aadObjectId": "c0ffee00-0000-4000"}


async def _insulted(bot, connector) -> int:
    """A channel conversation where the customer insulted the agent; how many sends came before
    the offer could."""
    bot.store.add_customer("teams", TENANT, CUSTOMER["aadObjectId"])
    await bot.post(channel_line(connector, "Hola, ya reviso su pedido."))
    await bot.post(channel_line(connector, "usted es un inútil", **{"from": CUSTOMER}))
    return len(connector.sent())


async def test_one_offer_in_the_agents_chat_and_copy_gives_the_draft(tmp_path, connector):
    clock = FakeClock(datetime.now(UTC))
    bot = await start_bot(tmp_path / "calma.db", connector, clock=clock)
    try:
        before = await _insulted(bot, connector)
        clock.advance(timedelta(minutes=31))
        assert await bot.runtime.send_due_offers() == 1
        await bot.settle()
        (offer,) = connector.sent()[before:]
        assert CHANNEL not in str(offer.get("conversation", {}))
        card = card_of(offer)
        assert adaptive_schema.errors(card) == []
        assert "gracias por escribirnos y por su paciencia" in texts_of(card)
        copy = next(a for a in card["actions"] if a["data"]["action"] == "offer.copy")
        assert await bot.runtime.send_due_offers() == 0  # once

        press = fresh("card_submit", connector)
        press["value"] = copy["data"]
        press["from"] = {**press["from"], "aadObjectId": AGENT_KEY}
        press["text"] = ""
        await bot.post(press)
        answers = [texts_of(card_of(a)) for a in connector.sent()[before + 1 :]]
        assert any("listo para copiar" in text for text in answers), answers
    finally:
        await bot.stop()


async def test_an_offer_the_connector_refused_is_sent_again_once(tmp_path, connector):
    clock = FakeClock(datetime.now(UTC))
    bot = await start_bot(tmp_path / "calma.db", connector, clock=clock)
    try:
        before = await _insulted(bot, connector)
        clock.advance(timedelta(minutes=31))
        connector.fail_next(4, status=503)  # the door's 4 tries of the first send fail
        assert await bot.runtime.send_due_offers() == 0
        assert connector.sent()[before:] == []
        assert bot.store.outbox_depth() == 1

        clock.advance(timedelta(seconds=21))  # the lease ends: the sweep sends it again
        await bot.runtime.service.outbox.sweep()
        offer = (await connector.wait_sent(before + 1))[-1]
        assert "gracias por escribirnos y por su paciencia" in texts_of(card_of(offer))
        assert bot.store.outbox_depth() == 0
        clock.advance(timedelta(minutes=5))
        await bot.runtime.service.outbox.sweep()
        assert await bot.runtime.send_due_offers() == 0
        assert len(connector.sent()) == before + 1  # sent once
    finally:
        await bot.stop()
