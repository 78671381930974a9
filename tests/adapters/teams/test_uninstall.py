"""Issue 11: Teams' installationUpdate remove is logged, the tenant's reminders stay pending, and
nothing more is sent to the person who removed Calma — until it is installed again."""

from __future__ import annotations

import logging

import pytest

from tests.adapters.teams.door_kit import fresh, start_bot


@pytest.fixture
async def bot(tmp_path, connector):
    running = await start_bot(tmp_path / "calma.db", connector)
    yield running
    await running.stop()


def lifecycle(connector, action: str) -> dict:
    """An installationUpdate in Javier's 1:1 chat (the personal scope)."""
    activity = fresh("personal_message", connector, type="installationUpdate", action=action)
    activity.pop("text", None)
    activity.pop("textFormat", None)
    return activity


async def test_a_personal_uninstall_keeps_reminders_pending_and_sends_nothing_more(
    bot, connector, caplog: pytest.LogCaptureFixture
) -> None:
    status, _ = await bot.post(
        fresh("personal_message", connector, text="recordar llamar a Ana mañana a las 10")
    )
    assert status == 201
    (row,) = bot.store.pending_reminders()
    sent_before = len(connector.sent())
    with caplog.at_level(logging.WARNING):
        status, _ = await bot.post(lifecycle(connector, "remove"))
    assert status in (200, 201)
    assert "Calma was removed from a personal conversation" in caplog.text
    assert "1 pending reminders of the tenant stay pending" in caplog.text

    bot.store.snooze(row.id, row.created_at)  # due now
    reminders = bot.runtime.service.reminders
    assert await reminders.deliver(row.id) is False
    assert len(connector.sent()) == sent_before  # nothing sent to who removed it
    assert bot.store.get_reminder(row.id).status == "pending"

    assert (await bot.post(lifecycle(connector, "add")))[0] in (200, 201)
    bot.store.snooze(row.id, row.created_at)
    assert await reminders.deliver(row.id) is True
    await bot.settle()
    assert bot.store.get_reminder(row.id).status == "sent"
