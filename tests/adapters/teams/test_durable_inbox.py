"""Durable before acknowledged on Teams: `calma teams` killed right after the HTTP answers of
promise activities still makes every reminder after a restart (each activity waited in the
inbox), on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.adapters.procs import SHORT_INBOX_LEASE
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.instances import Instance
from tests.adapters.slack.test_durable_inbox import database, every_promise_kept
from tests.adapters.teams.connector import BotConnector, post_activity
from tests.adapters.teams.test_instances_pg import line_of, url

LINES = 8


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_promises_answered_just_before_a_sigkill_are_kept(
    kind: str, connector: BotConnector, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    db, count = database(kind, tmp_path, request)
    with FakeSlack() as unused:  # Instance takes a Slack stand-in; the Teams door ignores it
        calma = await asyncio.to_thread(  # killed below: its claims end in 2 s
            Instance, unused, db, tmp_path, door=("teams",), extra_env=SHORT_INBOX_LEASE
        )
        try:
            for n in range(LINES):
                status, _ = await post_activity(url(calma), line_of(connector, n))
                assert status in (200, 201)
            calma.kill()  # right after the last answer: some turns are still running
        finally:
            calma.stop()
        handled_before = count()
        print(f"{kind}: {handled_before} of {LINES} reminders stored before the kill")
        again = await asyncio.to_thread(
            Instance, unused, db, tmp_path, "restarted", door=("teams",)
        )
        try:
            # off the loop: the Connector stand-in answers the restarted instance meanwhile
            await asyncio.to_thread(every_promise_kept, again, count, LINES, handled_before)
        finally:
            assert again.stop() == 0
