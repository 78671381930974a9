"""Events over signed HTTP into the running door; assertions on the Web API calls it makes."""

from __future__ import annotations

import asyncio

from tests.adapters.slack.harness import AGENT, CHANNEL, SlackApp, message_event

JUDGEMENTAL = "Usted debería haber leído el correo <!channel> &amp; <@U0OTRO> revisado la factura"
CLEAN = "Gracias por escribirnos, ya reviso su pedido."


async def settle(seconds: float = 0.3) -> None:
    """Let work after the ack finish before asserting that nothing happened."""
    await asyncio.sleep(seconds)


async def test_forged_signature_is_401_with_no_side_effect(slack_app: SlackApp) -> None:
    reply = await slack_app.forged_event(message_event(JUDGEMENTAL))
    assert reply.status == 401
    await settle()
    assert slack_app.fake.calls == []


async def test_judgemental_line_gets_one_private_nudge_with_escaped_text(slack_app: SlackApp):
    reply = await slack_app.event(message_event(JUDGEMENTAL))
    assert reply.status == 200
    (call,) = await slack_app.fake.calls_eventually("chat.postEphemeral")
    assert (call.params["channel"], call.params["user"]) == (CHANNEL, AGENT)
    assert call.token == "xoxb-test-calma"
    text = str(call.params["blocks"]) + call.params["text"]
    assert "<!channel>" not in text and "<@U0OTRO>" not in text
    mrkdwn = [b["text"] for b in call.params["blocks"] if b["type"] == "section"]
    assert mrkdwn and all(m["verbatim"] is True for m in mrkdwn)
    assert "Usted debería haber leído" in mrkdwn[0]["text"]
    assert "link_names" not in call.params and "parse" not in call.params
    actions = call.params["blocks"][-1]["elements"]
    assert [a["action_id"] for a in actions][:3] == [
        "nudge.useful",
        "nudge.not_applicable",
        "nudge.mute_1h",
    ]
    await settle()
    assert slack_app.fake.calls_to("chat.postMessage") == []  # never public


async def test_a_retry_of_the_same_event_does_not_nudge_twice(slack_app: SlackApp) -> None:
    envelope = message_event(JUDGEMENTAL)
    await slack_app.event(envelope)
    await slack_app.fake.calls_eventually("chat.postEphemeral")
    again = await slack_app.event(envelope, **{"X-Slack-Retry-Num": "1"})
    assert again.status == 200
    await settle()
    assert len(slack_app.fake.calls_to("chat.postEphemeral")) == 1


async def test_a_clean_line_is_silence(slack_app: SlackApp) -> None:
    assert (await slack_app.event(message_event(CLEAN))).status == 200
    await settle()
    assert slack_app.fake.calls_to("chat.postEphemeral") == []
    assert not any(c.method.startswith("chat.") for c in slack_app.fake.calls)


async def test_an_edit_is_checked_once(slack_app: SlackApp) -> None:
    original = message_event(CLEAN)
    ts = original["event"]["ts"]
    await slack_app.event(original)
    edited = {**original["event"], "text": JUDGEMENTAL, "edited": {"user": AGENT, "ts": "9.1"}}
    change = message_event(
        "",
        subtype="message_changed",
        message=edited,
        previous_message=original["event"],
        hidden=True,
    )
    change["event"].pop("user")
    change["event"]["ts"] = f"{ts}1"
    await slack_app.event(change)
    await slack_app.fake.calls_eventually("chat.postEphemeral")
    change["event_id"] = "EvUNFURL0001"  # Slack sends the same edit again (e.g. an unfurl)
    await slack_app.event(change)
    await settle()
    assert len(slack_app.fake.calls_to("chat.postEphemeral")) == 1


async def test_bot_messages_and_deletions_are_ignored(slack_app: SlackApp, payload) -> None:
    bot = message_event(JUDGEMENTAL, subtype="bot_message", bot_id="B0OTRO")
    deleted = payload("message_deleted")
    for envelope in (bot, deleted):
        assert (await slack_app.event(envelope)).status == 200
    await settle()
    assert slack_app.fake.calls_to("chat.postEphemeral") == []


async def test_a_slack_connect_customer_is_not_coached(slack_app: SlackApp) -> None:
    customer = message_event(JUDGEMENTAL, user="U0CLIENTE", user_team="T0ACME")
    await slack_app.event(customer)
    await settle()
    assert slack_app.fake.calls_to("chat.postEphemeral") == []


async def test_time_zone_comes_from_users_info_once(slack_app: SlackApp) -> None:
    slack_app.fake.add_user(AGENT, tz="America/Bogota")
    for _ in range(3):
        await slack_app.event(message_event(CLEAN))
    await settle()
    (info,) = slack_app.fake.calls_to("users.info")
    assert info.params["user"] == AGENT


async def test_a_promise_is_acknowledged_privately_with_cancel_and_change(slack_app: SlackApp):
    await slack_app.event(message_event("Le llamo mañana a las 10."))
    (call,) = await slack_app.fake.calls_eventually("chat.postEphemeral")
    assert call.params["user"] == AGENT
    buttons = [a["action_id"] for a in call.params["blocks"][-1]["elements"]]
    assert buttons == ["followup.cancel", "followup.change_time"]
    (row,) = slack_app.runtime.store.pending_reminders()
    assert (row.user, row.channel, row.text) == (AGENT, CHANNEL, "Le llamo mañana a las 10")
