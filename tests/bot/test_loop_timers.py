"""LoopTimers: an arming made on a worker thread happens on the loop, in order; one made on the
loop (or before any loop) happens at once."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta

from bot.loop_timers import LoopTimers
from tests.bot.conftest import T0
from tests.fakes import FakeClock, FakeTimers


class Recording(FakeTimers):
    def __init__(self) -> None:
        super().__init__(FakeClock(T0))
        self.threads: list[int] = []

    def arm(self, reminder_id: int, due: datetime) -> None:
        self.threads.append(threading.get_ident())
        super().arm(reminder_id, due)


async def _nothing(*_: object) -> None:
    return None


async def test_arming_from_a_worker_thread_happens_on_the_loop_in_order() -> None:
    inner = Recording()
    timers = LoopTimers(inner)
    timers.start(_nothing, _nothing)

    def from_worker() -> None:
        timers.arm(1, T0 + timedelta(minutes=5))
        timers.arm(1, T0 + timedelta(minutes=9))  # the later arming wins
        timers.disarm(2)

    await asyncio.to_thread(from_worker)
    await asyncio.sleep(0)
    assert inner.threads == [threading.get_ident()] * 2
    assert timers.due_of(1) == T0 + timedelta(minutes=9)


def test_before_any_loop_arming_happens_in_place() -> None:
    inner = Recording()
    timers = LoopTimers(inner)
    timers.start(_nothing, _nothing)  # no running loop: a script
    timers.arm(3, T0)
    assert timers.due_of(3) == T0 and len(timers) == 1
