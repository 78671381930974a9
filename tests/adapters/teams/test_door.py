"""The Teams door over real HTTP: Bot Framework activities in, Bot Connector calls out."""

from __future__ import annotations

import json
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from botbuilder.schema import ErrorResponseException

from adapters.teams.sender import NoChat
from bot.model import Card, DirectMessage
from tests.adapters.teams.connector import BotConnector
from tests.adapters.teams.door_kit import (
    card_of,
    channel_line,
    fresh,
    start_bot,
    submits,
    texts_of,
)
from tests.adapters.teams.payloads import CHANNEL, TENANT

AUTHOR = "29:1qXv8mTgLp3rJ0bKsYdWcZ4eN7uA5iH2fO9yR6tM-kQ"
AUTHOR_KEY = "6c2a0e4b-7d1f-4e3a-9b8c-5f2d1a0e9c7b"  # her Entra object id
JUDGEMENT = "Usted debería haber leído el correo que le enviamos."
CLEAN = "Gracias por su paciencia, ya reviso su pedido."


@pytest.fixture
async def bot(tmp_path, connector):
    running = await start_bot(tmp_path / "calma.db", connector)
    yield running
    await running.stop()


def creates(connector: BotConnector):
    return [c for c in connector.calls if c.method == "POST" and c.path == "/v3/conversations"]


def channel_calls(connector: BotConnector):
    return [c for c in connector.calls if CHANNEL in c.path]


async def nudge(bot, connector):
    """Post a judgemental channel line; the nudge activity sent to the 1:1 chat, and its id."""
    status, _ = await bot.post(channel_line(connector, JUDGEMENT))
    assert status == 201
    [sent] = connector.sent("a:conv-1")
    send_call = next(c for c in connector.calls if c.body is sent)
    return sent, send_call


async def test_judgemental_channel_line_nudges_in_a_new_1to1_and_nothing_in_the_channel(
    bot, connector
):
    sent, _ = await nudge(bot, connector)
    [create] = creates(connector)
    assert create.body["isGroup"] is False
    assert create.body["members"] == [{"id": AUTHOR}]
    assert create.body["tenantID"] == TENANT
    assert create.body["channelData"] == {"tenant": {"id": TENANT}}
    card = card_of(sent)
    assert "debería" in texts_of(card)  # the quoted excerpt, only in her private chat
    assert {"nudge.useful", "nudge.not_applicable", "nudge.mute_1h", "tips.show"} <= set(
        submits(card)
    )
    assert channel_calls(connector) == []
    stored = json.loads(bot.store.conversation_ref("teams", TENANT, AUTHOR_KEY))
    assert stored["conversation"]["id"] == "a:conv-1"
    assert stored["user"]["id"] == AUTHOR


async def test_the_agents_time_zone_comes_from_the_activity(bot, connector):
    """The workspace default is UTC; her Teams client says Mexico City."""
    await bot.post(channel_line(connector, "Le llamo mañana a las 10 para confirmarlo."))
    [row] = bot.store.reminders_for_user("teams", TENANT, AUTHOR_KEY, ("pending",))
    assert row.due_at.astimezone(ZoneInfo("America/Mexico_City")).hour == 10
    assert row.due_at.astimezone(UTC).hour == 16  # CST is UTC-6 in November
    user = bot.store.get_user("teams", TENANT, AUTHOR_KEY)
    assert user is not None and user.tz == "America/Mexico_City"  # kept for button presses


async def test_clean_line_is_silent(bot, connector):
    status, _ = await bot.post(channel_line(connector, CLEAN))
    assert status == 201
    assert connector.calls == []


async def test_redelivered_activity_gets_no_second_nudge(bot, connector):
    activity = channel_line(connector, JUDGEMENT)
    assert (await bot.post(activity))[0] == 201
    calls = len(connector.calls)
    assert calls == 2  # create the chat, send the nudge
    assert (await bot.post(activity))[0] == 201
    assert len(connector.calls) == calls


async def test_redelivery_is_caught_after_a_restart(tmp_path, connector):
    activity = channel_line(connector, JUDGEMENT)
    first = await start_bot(tmp_path / "calma.db", connector)
    await first.post(activity)
    await first.stop()
    second = await start_bot(tmp_path / "calma.db", connector)
    try:
        await second.post(activity)
    finally:
        await second.stop()
    assert len(connector.sent()) == 1


async def test_promise_in_channel_is_acknowledged_privately(bot, connector):
    await bot.post(channel_line(connector, "Le llamo mañana a las 10 para confirmarlo."))
    [ack] = connector.sent("a:conv-1")
    text = texts_of(card_of(ack))
    assert "mañana a las 10:00" in text
    assert channel_calls(connector) == []
    [row] = bot.store.reminders_for_user("teams", TENANT, AUTHOR_KEY, ("pending",))
    assert row.text.startswith("Le llamo mañana a las 10")


async def test_channel_command_for_tips_is_answered_in_its_thread(bot, connector):
    activity = fresh("channel_mention_command", connector)
    assert (await bot.post(activity))[0] == 201
    [call] = connector.calls
    conversation = activity["conversation"]["id"]
    assert call.path == f"/v3/conversations/{conversation}/activities/{activity['id']}"
    assert call.body["replyToId"] == activity["id"]
    assert "Siete consejos" in texts_of(card_of(call.body))
    assert creates(connector) == []


async def test_channel_draft_check_goes_to_the_1to1_and_the_thread_only_hears_where(bot, connector):
    activity = fresh(
        "channel_mention_command",
        connector,
        text=f"<at>Coach</at> revisar {JUDGEMENT}",
    )
    assert (await bot.post(activity))[0] == 201
    [private] = connector.sent("a:conv-1")
    assert "debería" in texts_of(card_of(private))
    [pointer] = connector.sent(activity["conversation"]["id"])
    assert "chat privado" in texts_of(card_of(pointer))
    assert "debería" not in json.dumps(pointer, ensure_ascii=False)


async def test_command_in_the_1to1_chat_is_answered_there(bot, connector):
    activity = fresh("personal_message", connector)
    assert (await bot.post(activity))[0] == 201
    [answer] = connector.sent(activity["conversation"]["id"])
    assert "debería" in texts_of(card_of(answer))
    assert creates(connector) == []
    ref = json.loads(bot.store.conversation_ref("teams", TENANT, activity["from"]["aadObjectId"]))
    assert ref["conversation"]["id"] == activity["conversation"]["id"]


async def test_redelivered_command_is_answered_once(bot, connector):
    activity = fresh("personal_message", connector)
    await bot.post(activity)
    await bot.post(activity)
    assert len(connector.sent()) == 1


async def test_card_submit_updates_the_card_and_records_the_feedback(bot, connector):
    sent, send_call = await nudge(bot, connector)
    data = submits(card_of(sent))["nudge.useful"]
    card_id = connector.sent_id(sent)
    submit = fresh(
        "card_submit",
        connector,
        value=data,
        replyToId=card_id,
        conversation={"conversationType": "personal", "tenantId": TENANT, "id": "a:conv-1"},
        **{"from": {"id": AUTHOR, "aadObjectId": AUTHOR_KEY}},
    )
    assert (await bot.post(submit))[0] == 201
    [put] = connector.updates()
    assert put.path == f"/v3/conversations/a:conv-1/activities/{card_id}"
    text = texts_of(card_of(put.body))
    assert "Gracias" in text
    assert "actions" not in card_of(put.body)  # the buttons are gone once answered
    nudge_id = int(data["value"].split(",")[0])
    assert bot.store.get_nudge(nudge_id).outcome == "useful"
    assert send_call.status == 201


async def test_429_and_5xx_from_the_connector_are_retried(bot, connector):
    connector.fail_next(2, status=429, retry_after=0.01)
    await bot.post(channel_line(connector, JUDGEMENT))
    assert [c.status for c in creates(connector)] == [429, 429, 201]
    connector.fail_next(1, status=502)
    await bot.post(channel_line(connector, "Le llamo mañana a las 10 para confirmarlo."))
    statuses = [c.status for c in connector.calls]
    assert statuses[-2:] == [502, 201]
    assert len(connector.sent("a:conv-1")) == 2


async def test_a_4xx_from_the_connector_is_not_retried_and_nothing_crashes(bot, connector):
    connector.fail_next(1, status=403)
    status, _ = await bot.post(channel_line(connector, JUDGEMENT))
    assert status == 201
    assert [c.status for c in connector.calls] == [403]


async def test_reminder_delivery_uses_the_stored_1to1_chat(bot, connector):
    await nudge(bot, connector)
    card = Card(title="Recordatorio")
    await bot.runtime.notifier.deliver(DirectMessage("teams", TENANT, AUTHOR_KEY, card))
    assert [texts_of(card_of(a)) for a in connector.sent("a:conv-1")][-1] == "Recordatorio"
    assert len(creates(connector)) == 1


async def test_reminder_delivery_raises_when_it_cannot_be_sent(bot, connector):
    card = Card(title="Recordatorio")
    with pytest.raises(NoChat):
        await bot.runtime.notifier.deliver(DirectMessage("teams", TENANT, "nobody", card))
    await nudge(bot, connector)
    connector.fail_next(4, status=503)
    with pytest.raises(ErrorResponseException):
        await bot.runtime.notifier.deliver(DirectMessage("teams", TENANT, AUTHOR_KEY, card))
    assert [c.status for c in connector.calls[-4:]] == [503] * 4  # every try, then it gave up


async def test_installation_makes_the_installer_a_lead(bot, connector):
    assert (await bot.post(fresh("installation_update", connector)))[0] == 201
    assert bot.store.leads("teams", TENANT) == [AUTHOR_KEY]


async def test_bot_added_to_a_personal_chat_says_hello_there(bot, connector):
    activity = fresh(
        "conversation_update_members_added",
        connector,
        conversation={"conversationType": "personal", "tenantId": TENANT, "id": "a:welcome"},
    )
    assert (await bot.post(activity))[0] == 201
    [hello] = connector.sent("a:welcome")
    assert "Soy Coach" in texts_of(card_of(hello))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("{not json", "body is not JSON"),
        ("[1, 2]", "body is not a JSON object"),
        ('{"text": "hola"}', "activity without type"),
    ],
)
async def test_bad_bodies_get_a_clear_400(bot, connector, body, reason):
    from aiohttp import ClientSession

    async with (
        ClientSession() as session,
        session.post(bot.url, data=body, headers={"Content-Type": "application/json"}) as r,
    ):
        assert r.status == 400
        assert (await r.json())["message"] == reason
    assert connector.calls == []


@pytest.mark.parametrize("drop", ["from", "conversation", "serviceUrl", "timestamp"])
async def test_message_missing_a_field_gets_400_and_is_not_marked_seen(bot, connector, drop):
    activity = channel_line(connector, JUDGEMENT)
    del activity[drop]
    status, body = await bot.post(activity)
    assert status == 400
    assert body["error"] == "bad_request"
    assert connector.calls == []
    activity = channel_line(connector, JUDGEMENT, id=activity["id"])
    assert (await bot.post(activity))[0] == 201  # nothing lost: the fixed activity is coached
    assert len(connector.sent("a:conv-1")) == 1


@pytest.mark.parametrize("stamp", ["0001-01-01T02:00:00+01:00", "9999-12-31T10:00:00+00:00"])
async def test_a_timestamp_at_the_calendars_edge_gets_400(bot, connector, stamp):
    """Read in the author's zone (or a promise's due time) it falls outside datetime's calendar."""
    activity = channel_line(connector, "Le llamo mañana a las 10")
    activity["timestamp"] = activity["localTimestamp"] = stamp
    status, body = await bot.post(activity)
    assert (status, body["error"]) == (400, "bad_request")
    assert "timestamp outside the years 2-9998" in body["message"]
    assert connector.calls == []


async def test_other_content_types_get_415(bot):
    from aiohttp import ClientSession

    async with ClientSession() as session, session.post(bot.url, data="hola") as r:
        assert r.status == 415


async def test_a_question_in_the_1to1_chat_is_answered_by_the_next_line(bot, connector):
    """Issue 10: `recordar` without a time asks when; her next line in the 1:1 chat answers."""
    ask = fresh("personal_message", connector, text="recordar enviar la factura a Pedro")
    await bot.post(ask)
    [question] = connector.sent(ask["conversation"]["id"])
    assert "¿Cuándo te lo recuerdo?" in texts_of(card_of(question))
    reply = fresh("personal_message", connector, text="mañana a las 11")
    await bot.post(reply)
    _, ack = connector.sent(ask["conversation"]["id"])
    assert "Te lo recuerdo mañana a las 11:00" in texts_of(card_of(ack))
    [row] = bot.store.reminders_for_user("teams", TENANT, ask["from"]["aadObjectId"], ("pending",))
    assert row.text == "enviar la factura a Pedro"
