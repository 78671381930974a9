"""Issue 10 through the real Slack door: `/coach recordar` without a time asks when, and the
agent's next line in the DM with Coach (message.im) answers it."""

from __future__ import annotations

from tests.adapters.slack.harness import AGENT, SlackApp, message_event
from tests.adapters.slack.test_app import settle


async def test_the_next_line_in_the_dm_with_coach_answers_when(slack_app: SlackApp) -> None:
    await slack_app.command("recordar enviar la factura a Pedro")
    (asked,) = await slack_app.fake.calls_eventually("response_url")
    assert "¿Cuándo te lo recuerdo?" in asked.params["text"]
    dm = message_event("mañana a las 11", channel="D0AGENTE", channel_type="im")
    assert (await slack_app.event(dm)).status == 200
    (ack,) = await slack_app.fake.calls_eventually("chat.postMessage")
    assert "Te lo recuerdo mañana a las 11:00" in ack.params["text"]
    (row,) = slack_app.runtime.store.pending_reminders()
    assert (row.user, row.text) == (AGENT, "enviar la factura a Pedro")
    # The DM line is never coached, and Slack's retry of it is answered once.
    await slack_app.event(dm)
    await settle()
    assert len(slack_app.fake.calls_to("chat.postMessage")) == 1
    assert slack_app.fake.calls_to("chat.postEphemeral") == []


async def test_the_same_promise_three_times_in_a_channel_leaves_one_reminder(
    slack_app: SlackApp,
) -> None:
    """Issue 10, item 5: same author, conversation and due time: one reminder, the latest words."""
    for line in (
        "Le llamo mañana a las 10.",
        "Le llamo mañana a las 10, no se preocupe.",
        "Entonces le llamo mañana a las 10 con la respuesta.",
    ):
        assert (await slack_app.event(message_event(line))).status == 200
        await settle()
    (row,) = slack_app.runtime.store.pending_reminders()
    assert (row.user, row.text) == (AGENT, "le llamo mañana a las 10 con la respuesta")
