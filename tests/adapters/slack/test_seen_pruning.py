"""The dedupe table (`seen_events`) is pruned by the Runtime: at start, then periodically.

A plain message event is deduplicated by its inbox row and leaves no mark there; an edit does
(its id is made of the message's ts and the edit's, across the event ids Slack gives each
update of it), so these tests mark with edits."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from app.runtime import SEEN_DAYS
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import CHANNEL, SlackApp, message_event, start_app
from tests.adapters.slack.test_app import JUDGEMENTAL
from tests.fakes import FakeClock


def edit(n: int) -> tuple[dict[str, object], str]:
    """A clean line edited into a judgemental one (nudged once), and the id it is marked by."""
    original = message_event("Hola, reviso su caso.", ts=f"1763800000.{n:06d}")
    new = {**original["event"], "text": JUDGEMENTAL, "edited": {"ts": f"1763800100.{n:06d}"}}
    change = message_event(
        "", subtype="message_changed", message=new, previous_message=original["event"]
    )
    change["event"].pop("user")
    return change, f"edit:{CHANNEL}:{new['ts']}:{new['edited']['ts']}"


def seen_ids(app: SlackApp) -> set[str]:
    rows = app.runtime.store.db.execute("SELECT event_id FROM seen_events").fetchall()
    return {row[0] for row in rows}


async def test_old_event_ids_are_forgotten_at_start(fake_slack: FakeSlack, tmp_path: Path):
    db, clock = tmp_path / "calma.db", FakeClock()
    (old_edit, old), (recent_edit, recent) = edit(1), edit(2)
    app = await start_app(fake_slack, db, clock=clock)
    try:
        await app.event(old_edit)
        await fake_slack.calls_eventually("chat.postEphemeral")
        clock.advance(timedelta(days=SEEN_DAYS - 1))
        await app.event(recent_edit)
        await fake_slack.calls_eventually("chat.postEphemeral", 2)
        assert {old, recent} <= seen_ids(app)
    finally:
        await app.close()
    clock.advance(timedelta(days=2))  # the old mark is now SEEN_DAYS + 1 days old, the other 2
    again = await start_app(fake_slack, db, clock=clock)
    try:
        ids = seen_ids(again)
        assert old not in ids and recent in ids
    finally:
        await again.close()


async def test_a_long_running_process_keeps_pruning(fake_slack: FakeSlack, tmp_path: Path):
    clock = FakeClock()
    app = await start_app(fake_slack, tmp_path / "calma.db", clock=clock, prune_every=0.05)
    day1_edit, day1 = edit(3)
    try:
        await app.event(day1_edit)
        await fake_slack.calls_eventually("chat.postEphemeral")
        await asyncio.sleep(0.15)
        assert day1 in seen_ids(app)  # pruning ran, but the id is still young
        clock.advance(timedelta(days=SEEN_DAYS + 1))
        deadline = asyncio.get_running_loop().time() + 3
        while day1 in seen_ids(app):
            assert asyncio.get_running_loop().time() < deadline, "never pruned"
            await asyncio.sleep(0.02)
    finally:
        await app.close()
