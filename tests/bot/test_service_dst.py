"""Reminders and mute across daylight-saving changes, on the user's wall clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import actions
from bot.model import DirectMessage
from tests.bot.service_kit import Kit, button, card_of, only
from tests.fakes import FakeClock


async def _reminder(kit: Kit, text: str) -> DirectMessage:
    kit.say(text)
    (row,) = kit.store.pending_reminders()
    kit.clock.set(max(kit.clock.now(), row.due_at))
    await kit.timers.run_due()
    return kit.notifier.sent[-1]


async def test_spring_forward_madrid_promise_and_tomorrow_at_9(tmp_path: Path) -> None:
    # Saturday 27 March 2027, 20:00 in Madrid (UTC+1); clocks go to UTC+2 at 02:00 on Sunday.
    kit = Kit(
        tmp_path / "c.db", FakeClock(datetime(2027, 3, 27, 19, 0, tzinfo=UTC)), "Europe/Madrid"
    )
    kit.say("Le llamo mañana a las 10.")
    (row,) = kit.store.pending_reminders()
    assert row.due_at == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)  # 10:00 CEST
    kit.clock.set(datetime(2027, 3, 27, 19, 30, tzinfo=UTC))
    kit.say("Le escribo en 10 minutos.")
    kit.clock.set(datetime(2027, 3, 27, 19, 40, tzinfo=UTC))
    await kit.timers.run_due()
    dm = kit.notifier.sent[-1]
    moved = only(kit.press(button(dm.card, actions.REMINDER_TOMORROW_9)))
    assert "mañana a las 9:00" in card_of(moved).plain_text()
    again = kit.store.get_reminder(dm.reminder_id or 0)
    assert again is not None and again.due_at == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)


async def test_fall_back_new_york_tomorrow_at_9_and_snooze_one_real_hour(tmp_path: Path) -> None:
    # Saturday 31 October 2026, 22:00 in New York (UTC-4); at 02:00 on Sunday it is UTC-5.
    kit = Kit(
        tmp_path / "c.db", FakeClock(datetime(2026, 11, 1, 2, 0, tzinfo=UTC)), "America/New_York"
    )
    dm = await _reminder(kit, "Le escribo en 5 minutos.")
    moved = only(kit.press(button(dm.card, actions.REMINDER_TOMORROW_9)))
    assert "mañana a las 9:00" in card_of(moved).plain_text()
    row = kit.store.get_reminder(dm.reminder_id or 0)
    assert row is not None and row.due_at == datetime(2026, 11, 1, 14, 0, tzinfo=UTC)  # 9:00 EST
    # 01:30 EDT, the first of two 01:30s: one hour later is the second 01:30 (EST)
    kit.clock.set(datetime(2026, 11, 1, 5, 30, tzinfo=UTC))
    kit.press(button(dm.card, actions.REMINDER_SNOOZE_1H))
    row = kit.store.get_reminder(dm.reminder_id or 0)
    assert row is not None and row.due_at == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    kit.clock.set(datetime(2026, 11, 1, 6, 29, tzinfo=UTC))
    assert await kit.timers.run_due() == []
    kit.clock.set(datetime(2026, 11, 1, 6, 30, tzinfo=UTC))
    assert await kit.timers.run_due() == [row.id]


def test_mute_today_ends_at_local_midnight_on_a_23_hour_day(tmp_path: Path) -> None:
    # Sunday 28 March 2027 in Madrid has 23 hours: 10:00 CEST is 08:00 UTC.
    kit = Kit(
        tmp_path / "c.db", FakeClock(datetime(2027, 3, 28, 8, 0, tzinfo=UTC)), "Europe/Madrid"
    )
    kit.coach("silenciar hoy")
    user = kit.store.get_user("slack", "T1", "U1")
    assert user is not None and user.muted_until == datetime(2027, 3, 28, 22, 0, tzinfo=UTC)
    kit.clock.set(datetime(2027, 3, 28, 21, 59, tzinfo=UTC))
    assert kit.say("Usted debería haber leído las instrucciones.") == []
    kit.clock.set(datetime(2027, 3, 28, 22, 0, tzinfo=UTC) + timedelta(seconds=1))
    assert len(kit.say("Usted debería haber leído las instrucciones.")) == 1
