"""Which message events Slack really sends get coached, over signed HTTP (app.py + translate.py)."""

from __future__ import annotations

import pytest

from tests.adapters.slack.harness import AGENT, CHANNEL, SlackApp, message_event
from tests.adapters.slack.test_app import JUDGEMENTAL, settle


async def test_a_file_share_is_coached_on_its_text(slack_app: SlackApp) -> None:
    files = [{"id": "F0FACTURA", "name": "factura.pdf", "mimetype": "application/pdf"}]
    await slack_app.event(message_event(JUDGEMENTAL, subtype="file_share", files=files))
    (nudge,) = await slack_app.fake.calls_eventually("chat.postEphemeral")
    assert (nudge.params["channel"], nudge.params["user"]) == (CHANNEL, AGENT)
    assert "Usted debería haber leído" in str(nudge.params["blocks"])


async def test_a_file_share_without_text_is_silence(slack_app: SlackApp) -> None:
    files = [{"id": "F0FOTO", "name": "captura.png"}]
    await slack_app.event(message_event("", subtype="file_share", files=files))
    await settle()
    assert slack_app.fake.calls_to("chat.postEphemeral") == []


async def test_a_thread_broadcast_is_nudged_privately_in_its_thread(slack_app: SlackApp) -> None:
    parent = "1763800000.000100"
    event = message_event(
        JUDGEMENTAL, subtype="thread_broadcast", thread_ts=parent, root={"ts": parent}
    )
    await slack_app.event(event)
    (nudge,) = await slack_app.fake.calls_eventually("chat.postEphemeral")
    assert nudge.params["thread_ts"] == parent and nudge.params["user"] == AGENT
    await settle()
    assert slack_app.fake.calls_to("chat.postMessage") == []


async def test_an_edit_that_keeps_the_text_is_not_rechecked(slack_app: SlackApp, payload) -> None:
    """Slack sends message_changed for unfurls and new replies too; previous_message tells."""
    original = message_event(JUDGEMENTAL)
    await slack_app.event(original)
    await slack_app.fake.calls_eventually("chat.postEphemeral")
    same = {**original["event"], "attachments": [{"title": "unfurl"}]}
    change = message_event(
        "", subtype="message_changed", message=same, previous_message=original["event"]
    )
    change["event"].pop("user")
    await slack_app.event(change)
    await settle()
    assert len(slack_app.fake.calls_to("chat.postEphemeral")) == 1


@pytest.mark.parametrize(
    "extra",
    [
        {"subtype": "channel_join"},
        {"subtype": "channel_topic"},
        {"subtype": "bot_message", "bot_id": "B0OTRO"},
        {"bot_id": "B0WORKFLOW", "app_id": "A0OTRA"},  # an app posting with a user id
        {"subtype": "message_deleted", "hidden": True},
        {"channel_type": "im", "channel": "D0AGENTE"},  # a DM with Coach
        {"channel_type": "mpim", "channel": "G0GRUPO"},  # a group DM
    ],
    ids=["channel_join", "topic", "bot_message", "bot_id", "deleted", "im", "mpim"],
)
async def test_these_are_never_coached(slack_app: SlackApp, extra: dict[str, object]) -> None:
    assert (await slack_app.event(message_event(JUDGEMENTAL, **extra))).status == 200
    await settle()
    assert slack_app.fake.calls_to("chat.postEphemeral") == []
    assert slack_app.runtime.store.db.execute("SELECT count(*) FROM nudges").fetchone()[0] == 0


async def test_a_private_channel_message_is_coached(slack_app: SlackApp) -> None:
    await slack_app.event(message_event(JUDGEMENTAL, channel="G0PRIVADO", channel_type="group"))
    (nudge,) = await slack_app.fake.calls_eventually("chat.postEphemeral")
    assert nudge.params["channel"] == "G0PRIVADO"
