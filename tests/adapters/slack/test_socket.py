"""Socket Mode against the local websocket stand-in: hello, an event, the ack, no double nudge."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

from adapters.slack.door import slack_door
from app.runtime import Runtime
from tests.adapters.procs import calma_env, free_port, spawn_calma
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.fake_socket_mode import envelope, events_envelope
from tests.adapters.slack.harness import (
    AGENT,
    APP_TOKEN,
    BOT_TOKEN,
    command_fields,
    message_event,
    settings_for,
)
from tests.adapters.slack.instances import START_SECONDS
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


def test_sigterm_ends_socket_mode_still_trying_to_reach_slack(tmp_path: Path) -> None:
    """A `calma slack` that cannot reach Slack keeps retrying to connect (every 10 s) and never
    gets ready; SIGTERM still ends it at once, cleanly, where it was only heard after start-up."""
    closed = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens: connection refused
    env = calma_env(
        CALMA_DB=str(tmp_path / "calma.db"),
        SLACK_API_URL=closed,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
    )
    out = tmp_path / "calma.out"
    proc = spawn_calma(["slack"], env, out, tmp_path)
    try:
        deadline = time.monotonic() + START_SECONDS
        while "Failed to connect" not in out.read_text():  # Bolt's first retry
            assert proc.poll() is None, out.read_text()
            assert time.monotonic() < deadline, out.read_text()
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=8) == 0, out.read_text()  # before the next retry, 10 s on
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    said = out.read_text()
    assert "calma: ready" not in said
