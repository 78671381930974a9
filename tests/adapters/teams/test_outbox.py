"""Sends after the HTTP answer, stale 1:1 chats, and the deep link in reminders: over real HTTP."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest

from adapters.teams.retry import Backoff
from tests.adapters.teams.connector import BotConnector
from tests.adapters.teams.door_kit import RunningBot, card_of, channel_line, start_bot, texts_of
from tests.adapters.teams.payloads import CHANNEL, TENANT
from tests.fakes import FakeClock

AUTHOR = "29:1qXv8mTgLp3rJ0bKsYdWcZ4eN7uA5iH2fO9yR6tM-kQ"
AUTHOR_KEY = "6c2a0e4b-7d1f-4e3a-9b8c-5f2d1a0e9c7b"
JUDGEMENT = "Usted debería haber leído el correo que le enviamos."
PROMISE = "Le llamo mañana a las 10 para confirmarlo."
SLOW = Backoff(attempts=4, base=0.01, cap=1.0)  # honours Retry-After up to 1 s


def creates(connector: BotConnector) -> list[int]:
    return [c.status for c in connector.calls if c.path == "/v3/conversations"]


def make_due(bot: RunningBot) -> int:
    """The author's pending reminder, moved into the past; its id."""
    [row] = bot.store.reminders_for_user("teams", TENANT, AUTHOR_KEY, ("pending",))
    past = (datetime.now(UTC) - timedelta(minutes=5)).isoformat(timespec="microseconds")
    with sqlite3.connect(bot.runtime.settings.db) as conn:
        conn.execute("UPDATE reminders SET due_at = ? WHERE id = ?", (past, row.id))
    return row.id


def status_of(bot: RunningBot, reminder_id: int) -> str:
    row = bot.store.get_reminder(reminder_id)
    assert row is not None
    return row.status


async def test_the_answer_does_not_wait_for_a_slow_throttled_connector(tmp_path, connector):
    bot = await start_bot(tmp_path / "calma.db", connector, backoff=SLOW)
    try:
        connector.delay = 0.2
        connector.fail_next(3, status=429, retry_after=0.6)  # about 2.6 s of sending
        activity = channel_line(connector, JUDGEMENT)
        started = time.monotonic()
        status, _ = await bot.post(activity, settle=False)
        answered = time.monotonic() - started
        assert status == 201
        assert answered < 0.5, answered
        assert connector.sent() == []  # still backing off
        # Teams redelivers the same activity meanwhile: it is not coached twice.
        assert (await bot.post(activity, settle=False))[0] == 201
        [nudge] = await connector.wait_sent(1, "a:conv-1")
        await bot.settle()
        assert "debería" in texts_of(card_of(nudge))
        assert creates(connector) == [429, 429, 429, 201]
        assert len(connector.sent()) == 1
    finally:
        await bot.stop()


async def test_a_send_stuck_at_stop_stays_queued_and_the_next_start_sends_it_once(
    tmp_path, connector, caplog
):
    patient = Backoff(attempts=3, base=0.01, cap=60.0)
    clock = FakeClock(datetime.now(UTC))
    bot = await start_bot(
        tmp_path / "calma.db", connector, backoff=patient, stop_grace=0.3, clock=clock
    )
    connector.fail_next(1, status=429, retry_after=60)
    assert (await bot.post(channel_line(connector, JUDGEMENT), settle=False))[0] == 201
    await connector.wait_for_calls(1)
    started = time.monotonic()
    await bot.stop()
    assert time.monotonic() - started < 7.0
    assert "sends cancelled at stop; they stay queued" in caplog.text
    assert connector.sent() == []
    with sqlite3.connect(tmp_path / "calma.db") as conn:
        assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1
    clock.advance(timedelta(seconds=25))  # the stopped instance's lease has ended
    again = await start_bot(tmp_path / "calma.db", connector, clock=clock)
    try:
        [nudge] = await connector.wait_sent(1, "a:conv-1")
        assert "debería" in texts_of(card_of(nudge))
        await asyncio.sleep(1.5)  # a second sweep sends nothing more
        assert len(connector.sent()) == 1
    finally:
        await again.stop()


async def test_a_nudge_and_an_acknowledgement_of_one_line_arrive_in_order(tmp_path, connector):
    bot = await start_bot(tmp_path / "calma.db", connector)
    try:
        await bot.post(channel_line(connector, f"{JUDGEMENT} {PROMISE}"))
        sent = [texts_of(card_of(a)) for a in connector.sent("a:conv-1")]
        assert len(sent) == 2
        assert "debería" in sent[0] and "mañana a las 10:00" in sent[1]
        assert creates(connector) == [201]  # one chat for both
    finally:
        await bot.stop()


@pytest.mark.parametrize(
    ("status", "code"), [(404, "ConversationNotFound"), (403, "BotNotInConversationRoster")]
)
async def test_a_stale_1to1_chat_is_recreated_once_and_the_reminder_resent(
    tmp_path, connector, status, code
):
    bot = await start_bot(tmp_path / "calma.db", connector)
    try:
        await bot.post(channel_line(connector, PROMISE))
        reminder_id = make_due(bot)
        connector.forget("a:conv-1", status=status, code=code)
        assert await bot.runtime.service.reminders.deliver(reminder_id)
        [_first, create_2] = [c for c in connector.calls if c.path == "/v3/conversations"]
        assert create_2.body["members"] == [{"id": AUTHOR}]
        assert create_2.body["tenantID"] == TENANT
        new_chat = create_2.answer["id"]
        assert new_chat != "a:conv-1"
        [reminder] = connector.sent(new_chat)
        assert "Recordatorio" in texts_of(card_of(reminder))
        assert status_of(bot, reminder_id) == "sent"
        ref = bot.store.conversation_ref("teams", TENANT, AUTHOR_KEY)
        assert f'"{new_chat}"' in ref  # the new chat is kept for next time
    finally:
        await bot.stop()


async def test_when_recreating_the_chat_fails_too_the_reminder_stays_pending(tmp_path, connector):
    bot = await start_bot(tmp_path / "calma.db", connector)
    try:
        await bot.post(channel_line(connector, PROMISE))
        reminder_id = make_due(bot)
        connector.forget("a:conv-1")
        connector.fail_next(1, status=403)  # creating the chat is refused
        assert not await bot.runtime.service.reminders.deliver(reminder_id)
        assert creates(connector)[-1] == 403
        assert status_of(bot, reminder_id) == "pending"
        row = bot.store.get_reminder(reminder_id)
        assert row is not None and row.attempts == 1  # counted, and re-armed for later
    finally:
        await bot.stop()


async def test_a_blocked_chat_is_not_recreated(tmp_path, connector):
    """403 for another reason (the user blocked Coach): creating the chat again would not help."""
    bot = await start_bot(tmp_path / "calma.db", connector)
    try:
        await bot.post(channel_line(connector, PROMISE))
        reminder_id = make_due(bot)
        connector.forget("a:conv-1", status=403, code="ConversationBlockedByUser")
        assert not await bot.runtime.service.reminders.deliver(reminder_id)
        assert creates(connector) == [201]
        assert status_of(bot, reminder_id) == "pending"
        row = bot.store.get_reminder(reminder_id)
        assert row is not None and "403" in (row.last_error or "")
    finally:
        await bot.stop()


async def test_a_reminder_from_a_channel_links_back_to_the_message(tmp_path, connector):
    bot = await start_bot(tmp_path / "calma.db", connector)
    try:
        line = channel_line(connector, PROMISE)
        line["channelData"]["team"]["aadGroupId"] = "0f1e2d3c-4b5a-4697-8877-665544332211"
        await bot.post(line)
        assert await bot.runtime.service.reminders.deliver(make_due(bot))
        reminder = connector.sent("a:conv-1")[-1]
        [link] = [a for a in card_of(reminder)["actions"] if a["type"] == "Action.OpenUrl"]
        thread_root = line["conversation"]["id"].split(";messageid=")[1]
        assert link["url"] == (
            f"https://teams.microsoft.com/l/message/{CHANNEL}/{line['id']}"
            f"?tenantId={TENANT}&groupId=0f1e2d3c-4b5a-4697-8877-665544332211"
            f"&parentMessageId={thread_root}"
        )
        assert link["title"] == "Ver la conversación"
    finally:
        await bot.stop()


async def test_stale_chat_log_says_what_happened_without_the_wording(tmp_path, connector, caplog):
    caplog.set_level(logging.INFO)
    bot = await start_bot(tmp_path / "calma.db", connector)
    try:
        await bot.post(channel_line(connector, PROMISE))
        connector.forget("a:conv-1")
        await bot.post(channel_line(connector, JUDGEMENT))
        new_chat = [c for c in connector.calls if c.path == "/v3/conversations"][-1].answer["id"]
        [nudge] = connector.sent(new_chat)
        assert "debería" in texts_of(card_of(nudge))
        assert "creating it again" in caplog.text
        assert "debería" not in caplog.text
    finally:
        await bot.stop()
