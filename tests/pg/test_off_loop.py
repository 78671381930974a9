"""On PostgreSQL the service's calls leave the loop: a door awaits `CoachService.call`, which runs
them on the service's worker thread, and the reminders they arm reach the loop's timers."""

from __future__ import annotations

import asyncio
import threading
import time

from bot.loop_timers import LoopTimers
from tests.bot.conftest import T0
from tests.bot.service_kit import WS, Kit
from tests.fakes import FakeClock

PROMISE = "Le llamo en 2 horas para confirmarlo."  # within the 24 h horizon: armed at once


async def test_a_service_call_runs_off_the_loop_and_arms_the_reminder_on_the_loop(
    pg_url: str,
) -> None:
    kit = Kit(pg_url, FakeClock(T0))  # built on the loop: its timers belong to it
    try:
        assert isinstance(kit.service.reminders._timers, LoopTimers)
        loop_thread = threading.get_ident()

        def say() -> int:
            kit.say(PROMISE, author="U1")
            return threading.get_ident()

        worker = await kit.service.call(say)
        assert worker != loop_thread
        [row] = kit.store.reminders_for_user("slack", WS, "U1", ("pending",))
        await asyncio.sleep(0)  # the arming was handed to the loop
        assert kit.timers.due_of(row.id) == row.due_at
    finally:
        kit.service.reminders.shutdown()
        kit.service.close()
        kit.store.close()


async def test_the_loop_keeps_serving_while_a_service_call_waits(pg_url: str) -> None:
    kit = Kit(pg_url, FakeClock(T0))
    try:
        ticks: list[float] = []

        async def ticker() -> None:
            while True:
                ticks.append(time.monotonic())
                await asyncio.sleep(0.01)

        running = asyncio.create_task(ticker())
        await kit.service.call(time.sleep, 0.3)  # a slow database round trip, say
        running.cancel()
        assert len(ticks) >= 10  # the loop ran the ticker meanwhile (in place: once)
    finally:
        kit.service.close()
        kit.store.close()
