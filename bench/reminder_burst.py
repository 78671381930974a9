"""What both reminder benches (SQLite, PostgreSQL) measure the same way: the process's memory, a
burst of reminders due in one second delivered to a no-op notifier and their lateness, and the
JSON answer of a measuring child process."""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.model import DirectMessage
    from bot.ports import Clock
    from bot.reminders import ReminderScheduler
    from bot.store import ReminderRow, Store

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    """Resident set size of this process now (VmRSS), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest-rank."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def run_child(script: str, args: list[str]) -> dict[str, Any]:
    """Run `script` in a fresh interpreter and read its JSON answer (its last line)."""
    done = subprocess.run(
        [sys.executable, script, *args], check=True, capture_output=True, text=True, cwd=ROOT
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


class NoOpNotifier:
    """Records when each reminder was delivered; a second delivery of one is an error."""

    def __init__(self) -> None:
        self.delivered: dict[int, datetime] = {}

    async def deliver(self, message: DirectMessage) -> None:
        assert message.reminder_id is not None
        if message.reminder_id in self.delivered:
            raise AssertionError(f"reminder {message.reminder_id} delivered twice")
        self.delivered[message.reminder_id] = datetime.now(UTC)


def render(row: ReminderRow, late: bool) -> DirectMessage:
    """The smallest direct message for a reminder."""
    from bot.model import Card, DirectMessage

    return DirectMessage("slack", row.workspace, row.user, Card(title=row.text), row.id)


def start_armed(
    open_store: Callable[[Clock], Store], *, shared: bool, timed_as: str
) -> tuple[Store, ReminderScheduler, NoOpNotifier, dict[str, Any]]:
    """Open the store and start the scheduler on the real ApsTimers, re-arming every pending
    row; the seconds that took (under `timed_as`), how many were armed, and RSS before and after."""
    from bot.ports import SystemClock
    from bot.reminders import ReminderScheduler
    from bot.timers import ApsTimers

    rss_before = rss_mb()
    notifier = NoOpNotifier()
    clock = SystemClock()
    started = time.perf_counter()
    store = open_store(clock)
    scheduler = ReminderScheduler(store, notifier, ApsTimers(), clock, render, shared=shared)
    armed = scheduler.start()
    figures = {
        "armed": armed,
        timed_as: time.perf_counter() - started,
        "rss_mb": rss_mb(),
        "rss_before_open_mb": rss_before,
    }
    return store, scheduler, notifier, figures


async def burst_lateness(
    scheduler: ReminderScheduler,
    notifier: NoOpNotifier,
    burst: int,
    *,
    same_instant: bool,
    workspace: str,
    wait_s: float,
    settle_s: float,
) -> dict[str, Any]:
    """Add `burst` reminders due in the second after next (spread over it, or all at one
    instant), wait up to `wait_s` for their delivery and `settle_s` more for any doubled one;
    how many arrived and how late."""
    from bot.store import NewReminder

    second = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=2)
    due: dict[int, datetime] = {}
    for k in range(burst):
        spread = 0 if same_instant else k * (1_000_000 // max(burst, 1))
        at = second + timedelta(microseconds=spread)
        row = scheduler.add(NewReminder("slack", workspace, f"U{k}", "C1", "le escribo", at))
        due[row.id] = row.due_at
    delivered = notifier.delivered
    deadline = time.monotonic() + wait_s
    while len(delivered) < burst and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    await asyncio.sleep(settle_s)
    lateness_ms = [(delivered[i] - due[i]).total_seconds() * 1000 for i in due if i in delivered]
    return {
        "burst": burst,
        "burst_delivered": len(lateness_ms),
        "lateness_p50_ms": statistics.median(lateness_ms) if lateness_ms else None,
        "lateness_p99_ms": percentile(lateness_ms, 99) if lateness_ms else None,
        "lateness_max_ms": max(lateness_ms) if lateness_ms else None,
    }
