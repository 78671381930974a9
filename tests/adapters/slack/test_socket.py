"""Socket Mode against the local websocket stand-in: hello, an event, the ack, no double nudge."""

from __future__ import annotations

import asyncio
from pathlib import Path

from adapters.slack.door import slack_door
from app.runtime import Runtime
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.fake_socket_mode import envelope, events_envelope
from tests.adapters.slack.harness import (
    AGENT,
    APP_TOKEN,
    command_fields,
    message_event,
    settings_for,
)
from tests.adapters.slack.test_app import JUDGEMENTAL


async def test_socket_mode_event_is_acked_and_nudged_once(fake_slack: FakeSlack, tmp_path: Path):
    runtime = Runtime(settings_for(fake_slack, tmp_path / "calma.db", slack_signing_secret=None))
    runtime.open(slack_door(http=False))
    await runtime.start()
    try:
        await asyncio.to_thread(fake_slack.socket.wait_for_connection)
        (opened,) = fake_slack.calls_to("apps.connections.open")
        assert opened.token == APP_TOKEN
        event = message_event(JUDGEMENTAL)
        first = events_envelope(event)  # Bolt reads retry_attempt 0 as "x-slack-retry-num: 0"
        fake_slack.socket.push(first)
        assert (await fake_slack.socket.ack_of(first["envelope_id"]))["envelope_id"]
        (nudge,) = await fake_slack.calls_eventually("chat.postEphemeral")
        assert nudge.params["user"] == AGENT
        retry = events_envelope(event, retry_attempt=1)
        fake_slack.socket.push(retry)
        await fake_slack.socket.ack_of(retry["envelope_id"])
        command = envelope("slash_commands", command_fields("consejos"))
        fake_slack.socket.push(command)
        await fake_slack.socket.ack_of(command["envelope_id"])
        await asyncio.sleep(0.3)
        assert len(fake_slack.calls_to("chat.postEphemeral")) == 2  # the nudge, then the tips
    finally:
        await runtime.stop()
