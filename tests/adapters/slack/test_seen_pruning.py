"""The dedupe table (`seen_events`) is pruned by the Runtime: at start, then periodically."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from app.runtime import SEEN_DAYS
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import SlackApp, message_event, start_app
from tests.adapters.slack.test_app import JUDGEMENTAL
from tests.fakes import FakeClock


def seen_ids(app: SlackApp) -> set[str]:
    rows = app.runtime.store.db.execute("SELECT event_id FROM seen_events").fetchall()
    return {row[0] for row in rows}


async def test_old_event_ids_are_forgotten_at_start(fake_slack: FakeSlack, tmp_path: Path):
    db, clock = tmp_path / "calma.db", FakeClock()
    app = await start_app(fake_slack, db, clock=clock)
    try:
        await app.event(message_event(JUDGEMENTAL, event_id="EvOLD"))
        await fake_slack.calls_eventually("chat.postEphemeral")
        clock.advance(timedelta(days=SEEN_DAYS - 1))
        await app.event(message_event(JUDGEMENTAL, event_id="EvRECENT"))
        await fake_slack.calls_eventually("chat.postEphemeral", 2)
        assert {"EvOLD", "EvRECENT"} <= seen_ids(app)
    finally:
        await app.close()
    clock.advance(timedelta(days=2))  # EvOLD is now SEEN_DAYS + 1 days old, EvRECENT 2 days
    again = await start_app(fake_slack, db, clock=clock)
    try:
        ids = seen_ids(again)
        assert "EvOLD" not in ids and "EvRECENT" in ids
    finally:
        await again.close()


async def test_a_long_running_process_keeps_pruning(fake_slack: FakeSlack, tmp_path: Path):
    clock = FakeClock()
    app = await start_app(fake_slack, tmp_path / "calma.db", clock=clock, prune_every=0.05)
    try:
        await app.event(message_event(JUDGEMENTAL, event_id="EvDAY1"))
        await fake_slack.calls_eventually("chat.postEphemeral")
        await asyncio.sleep(0.15)
        assert "EvDAY1" in seen_ids(app)  # pruning ran, but the id is still young
        clock.advance(timedelta(days=SEEN_DAYS + 1))
        deadline = asyncio.get_running_loop().time() + 3
        while "EvDAY1" in seen_ids(app):
            assert asyncio.get_running_loop().time() < deadline, "never pruned"
            await asyncio.sleep(0.02)
    finally:
        await app.close()
