"""Durable before acknowledged over Socket Mode: `calma slack` acks an Events API envelope only
once the event is in the inbox, so a SIGKILL right after the last ack loses no promise; on
restart every reminder exists (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.procs import SHORT_INBOX_LEASE
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.fake_socket_mode import events_envelope
from tests.adapters.slack.harness import APP_TOKEN, message_event
from tests.adapters.slack.instances import Instance
from tests.adapters.slack.test_durable_inbox import AGENTS, PROMISE, database, every_promise_kept

SOCKET = {"SLACK_APP_TOKEN": APP_TOKEN}


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_socket_mode_promises_acked_just_before_a_sigkill_are_kept(
    kind: str, fake_slack: FakeSlack, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    db, count = database(kind, tmp_path, request)
    killed = SOCKET | SHORT_INBOX_LEASE  # its claims end 2 s after each event was kept
    calma = Instance(fake_slack, db, tmp_path, door=("slack",), extra_env=killed)
    try:
        fake_slack.socket.wait_for_connection(timeout=10)
        envelopes = [
            events_envelope(message_event(PROMISE.format(n=n), user=agent))
            for n, agent in enumerate(AGENTS)
        ]
        for envelope in envelopes:
            fake_slack.socket.push(envelope)
        for envelope in envelopes:
            fake_slack.socket.wait_for_ack(envelope["envelope_id"], timeout=10)
        calma.kill()  # right after the last ack: some events are still being handled
    finally:
        calma.stop()
    handled_before = count()
    print(f"{kind}: {handled_before} of {len(AGENTS)} reminders stored before the kill")
    again = Instance(fake_slack, db, tmp_path, name="restarted", door=("slack",), extra_env=SOCKET)
    try:
        every_promise_kept(again, count, len(AGENTS), handled_before)
    finally:
        assert again.stop() == 0
