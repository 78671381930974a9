"""Timers that may be armed from a worker thread: the service runs off the loop on a network
database (bot/service/core.py: `CoachService.call`), while the timers belong to the loop.

A change made on another thread is handed to the loop (`call_soon_threadsafe`), in order; a
change made on the loop, or before the loop is known, happens in place.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from bot.timers import Fire, Refill, Timers, WriteBack


class LoopTimers:
    """A `Timers` whose arming and disarming always run on the loop that started it."""

    def __init__(self, inner: Timers) -> None:
        self.inner = inner
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: int | None = None

    def _on_loop(self, change: Callable[..., None], *args: Any) -> None:
        loop = self._loop
        if loop is None or threading.get_ident() == self._thread or loop.is_closed():
            change(*args)
        else:
            loop.call_soon_threadsafe(change, *args)

    def start(self, fire: Fire, write_back: WriteBack, refill: Refill | None = None) -> None:
        try:
            self._loop = asyncio.get_running_loop()
            self._thread = threading.get_ident()
        except RuntimeError:  # started outside a loop (a script): every change in place
            self._loop = None
        self.inner.start(fire, write_back, refill)

    def arm_write_back(self, due: datetime) -> None:
        self._on_loop(self.inner.arm_write_back, due)

    def arm_refill(self, due: datetime) -> None:
        self._on_loop(self.inner.arm_refill, due)

    def arm(self, reminder_id: int, due: datetime) -> None:
        self._on_loop(self.inner.arm, reminder_id, due)

    def arm_many(self, items: Iterable[tuple[int, datetime]]) -> None:
        self._on_loop(self.inner.arm_many, list(items))

    def disarm(self, reminder_id: int) -> None:
        self._on_loop(self.inner.disarm, reminder_id)

    def due_of(self, reminder_id: int) -> datetime | None:
        return self.inner.due_of(reminder_id)

    def __len__(self) -> int:
        return len(self.inner)

    def shutdown(self) -> None:
        self.inner.shutdown()
