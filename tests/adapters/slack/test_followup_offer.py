"""The follow-up offer through the Slack door: a DM to the agent (never the channel) after an
abusive conversation goes quiet; "Copy the draft" opens the draft in an editable modal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.adapters.slack.fake_slack import TEAM_ID
from tests.adapters.slack.harness import AGENT, CHANNEL, message_event, start_app
from tests.fakes import FakeClock

CUSTOMER = "U0CLIENTE"


async def _insulted(app, fake_slack) -> None:
    """A channel conversation where the customer insulted the agent, noted to the agent."""
    app.runtime.store.add_customer("slack", TEAM_ID, CUSTOMER)
    await app.event(message_event("Hola, ya reviso su pedido"))
    await app.event(message_event("eres un idiota", user=CUSTOMER))
    await fake_slack.calls_eventually("chat.postEphemeral")


async def test_the_offer_is_a_dm_and_copy_opens_the_draft_in_a_modal(
    fake_slack, tmp_path, payload
) -> None:
    clock = FakeClock(datetime.now(UTC))
    app = await start_app(fake_slack, tmp_path / "calma.db", clock=clock)
    try:
        await _insulted(app, fake_slack)  # the abuse note reached the agent
        clock.advance(timedelta(minutes=31))
        assert await app.runtime.send_due_offers() == 1
        (dm,) = fake_slack.calls_to("chat.postMessage")
        assert dm.params["channel"] == f"D{AGENT[1:]}" != CHANNEL
        assert "tu paciencia" in dm.params["text"] or "tu paciencia" in str(dm.params["blocks"])
        copy = next(
            b for b in dm.params["blocks"][-1]["elements"] if b["action_id"] == "offer.copy"
        )
        body = payload("block_actions_reminder_dm")
        body["actions"] = [{**copy, "type": "button", "action_ts": "1763837000.654321"}]
        await app.interaction(body)
        (opened,) = await fake_slack.calls_eventually("views.open")
        view = opened.params["view"]
        assert view["type"] == "modal"
        assert "gracias por escribirnos y por tu paciencia" in str(view)
        assert await app.runtime.send_due_offers() == 0  # once
    finally:
        await app.close()


async def test_an_offer_slack_refused_once_is_sent_again_once(fake_slack, tmp_path) -> None:
    clock = FakeClock(datetime.now(UTC))
    app = await start_app(fake_slack, tmp_path / "calma.db", clock=clock)
    try:
        await _insulted(app, fake_slack)  # the abuse note reached the agent
        clock.advance(timedelta(minutes=31))
        fake_slack.fail("chat.postMessage", "internal_error")  # fails first, then succeeds
        assert await app.runtime.send_due_offers() == 0
        assert app.runtime.store.outbox_depth() == 1
        assert await app.runtime.send_due_offers() == 0  # offered once: not queued again

        clock.advance(timedelta(seconds=21))  # the lease ends: the sweep sends it again
        await app.runtime.service.outbox.sweep()
        tries = await fake_slack.calls_eventually("chat.postMessage", count=2)
        assert [c.params["channel"] for c in tries] == [f"D{AGENT[1:]}"] * 2
        assert "tu paciencia" in str(tries[1].params)
        assert app.runtime.store.outbox_depth() == 0
        clock.advance(timedelta(minutes=5))
        await app.runtime.service.outbox.sweep()
        assert await app.runtime.send_due_offers() == 0
        assert len(fake_slack.calls_to("chat.postMessage")) == 2  # one refused, one sent
    finally:
        await app.close()
