"""Reminders at scale, against the targets of issue 12 (1,000,000 pending: ready < 1 s, < 100 MB).

Usage: .venv/bin/python bench/bench_reminders.py [--reminders N] [--burst M] [--same-instant]
       [--check] [--aps-baseline]

1. Inserts N (default 100,000) pending reminders due over the next 30 days into a fresh SQLite file.
2. In a fresh process: opens the store and starts the ReminderScheduler on the real ApsTimers,
   arming the pending rows due within its horizon (timed, wall and CPU), reads VmRSS, then adds
   M (default 100) reminders due in the same second (spread over it, or all at one instant with
   --same-instant) and measures each one's delivery lateness with a no-op async notifier.
Prints a table and writes the figures as JSON to bench/results/ (gitignored). `--check` exits 1 when
a target is missed. `--aps-baseline` also times one APScheduler job per reminder, for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

TARGETS = {
    "rearm_s": (1.0, "<"),
    "rss_mb": (100.0, "<"),
    "lateness_p99_ms": (1000.0, "<"),
}


def rss_mb() -> float:
    """Resident set size of this process now (VmRSS), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def populate(path: Path, count: int) -> float:
    """Insert `count` pending reminders due over the next 30 days; returns seconds taken."""
    from bot.store import NewReminder, SqliteStore

    rng = random.Random(3)
    now = datetime.now(UTC)
    started = time.perf_counter()
    store = SqliteStore(path)
    with store.db.atomic():
        for k in range(count):
            due = now + timedelta(seconds=rng.uniform(60, 30 * 86400))
            store.add_reminder(
                NewReminder(
                    platform="slack",
                    workspace=f"T{k % 7}",
                    user=f"U{k % 500:04d}",
                    channel=f"C{k % 40}",
                    text="Le llamo mañana a las 10 para confirmarle el cambio de tarifa",
                    due_at=due,
                    thread=f"1700000000.{k:06d}",
                    permalink=f"https://example.slack.com/archives/C1/p1700000000{k:06d}",
                    lang="es",
                )
            )
    store.close()
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest-rank."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


async def child(path: Path, burst: int, same_instant: bool) -> dict[str, Any]:
    """The measuring process: re-arm everything, read RSS, then time a burst of deliveries."""
    from bot.model import Card, DirectMessage
    from bot.ports import SystemClock
    from bot.reminders import ReminderScheduler
    from bot.store import NewReminder, ReminderRow, SqliteStore
    from bot.timers import ApsTimers

    rss_before = rss_mb()
    delivered: dict[int, datetime] = {}

    class NoOpNotifier:
        async def deliver(self, message: DirectMessage) -> None:
            assert message.reminder_id is not None
            if message.reminder_id in delivered:
                raise AssertionError(f"reminder {message.reminder_id} delivered twice")
            delivered[message.reminder_id] = datetime.now(UTC)

    def render(row: ReminderRow, late: bool) -> DirectMessage:
        return DirectMessage("slack", row.workspace, row.user, Card(title=row.text), row.id)

    clock = SystemClock()
    started, cpu_started = time.perf_counter(), time.process_time()
    store = SqliteStore(path, clock=clock)
    timers = ApsTimers()
    scheduler = ReminderScheduler(store, NoOpNotifier(), timers, clock, render)
    armed = scheduler.start()
    rearm_s = time.perf_counter() - started
    rearm_cpu_s = time.process_time() - cpu_started
    rss_after = rss_mb()

    second = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=2)
    due: dict[int, datetime] = {}
    for k in range(burst):
        spread = 0 if same_instant else k * (1_000_000 // max(burst, 1))
        at = second + timedelta(microseconds=spread)
        row = scheduler.add(NewReminder("slack", "T1", f"U{k}", "C1", "le escribo", at))
        due[row.id] = row.due_at
    deadline = time.monotonic() + 15
    while len(delivered) < burst and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    scheduler.shutdown()
    lateness_ms = [(delivered[i] - due[i]).total_seconds() * 1000 for i in due if i in delivered]
    still_pending = len(store.pending_due_times())
    store.close()
    return {
        "armed": armed,
        "rearm_s": rearm_s,
        "rearm_cpu_s": rearm_cpu_s,
        "rss_mb": rss_after,
        "rss_before_open_mb": rss_before,
        "burst": burst,
        "burst_delivered": len(lateness_ms),
        "lateness_p50_ms": statistics.median(lateness_ms) if lateness_ms else None,
        "lateness_p99_ms": percentile(lateness_ms, 99) if lateness_ms else None,
        "lateness_max_ms": max(lateness_ms) if lateness_ms else None,
        "pending_after": still_pending,
    }


async def aps_baseline(count: int) -> dict[str, float]:
    """One APScheduler date job per reminder (the design this bench rejected), for comparison."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    async def job(reminder_id: int) -> None:
        return None

    scheduler = AsyncIOScheduler(timezone=UTC)
    now = datetime.now(UTC)
    started = time.perf_counter()
    for k in range(count):
        scheduler.add_job(
            job,
            "date",
            run_date=now + timedelta(seconds=60 + k * 26),
            args=(k,),
            id=f"reminder:{k}",
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )
    scheduler.start()
    seconds = time.perf_counter() - started
    rss = rss_mb()
    scheduler.shutdown(wait=False)
    return {"aps_per_job_s": seconds, "aps_per_job_rss_mb": rss}


def run_child(args: list[str]) -> dict[str, Any]:
    """Run this script in a fresh interpreter and read its JSON answer."""
    done = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True, cwd=ROOT
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--burst", type=int, default=100)
    parser.add_argument("--same-instant", action="store_true", help="burst due at one instant")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--aps-baseline", action="store_true", help="also time one job per row")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-aps", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(child(args.child, args.burst, args.same_instant))))
        return 0
    if args.child_aps:
        print(json.dumps(asyncio.run(aps_baseline(args.child_aps))))
        return 0

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        insert_s = populate(path, args.reminders)
        size_mb = path.stat().st_size / 1e6
        child_args = ["--child", str(path), "--burst", str(args.burst)]
        figures = run_child(child_args + (["--same-instant"] if args.same_instant else []))
    figures.update({"reminders": args.reminders, "insert_s": insert_s, "db_mb": size_mb})
    figures["burst_same_instant"] = args.same_instant
    if args.aps_baseline:
        figures.update(run_child(["--child-aps", str(args.reminders)]))

    when = "at one instant" if args.same_instant else "in one second"
    rows = [
        ("pending reminders", f"{args.reminders:,}", ""),
        ("armed (due within the horizon)", f"{figures['armed']:,}", ""),
        ("insert (one transaction)", f"{insert_s:.2f} s", ""),
        ("database file", f"{size_mb:.1f} MB", ""),
        ("open + start to ready (wall)", f"{figures['rearm_s']:.3f} s", "< 1 s"),
        ("open + start to ready (CPU)", f"{figures['rearm_cpu_s']:.3f} s", ""),
        ("RSS when ready", f"{figures['rss_mb']:.0f} MB", "< 100 MB"),
        (
            f"burst delivered ({args.burst} due {when})",
            f"{figures['burst_delivered']}/{args.burst}",
            "all",
        ),
        ("lateness p50", f"{figures['lateness_p50_ms']:.1f} ms", ""),
        ("lateness p99", f"{figures['lateness_p99_ms']:.1f} ms", "< 1000 ms"),
        ("lateness max", f"{figures['lateness_max_ms']:.1f} ms", ""),
    ]
    if args.aps_baseline:
        rows.append(
            ("(baseline) one APScheduler job per row", f"{figures['aps_per_job_s']:.2f} s", "")
        )
        rows.append(("(baseline) its RSS", f"{figures['aps_per_job_rss_mb']:.0f} MB", ""))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>12}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>12}  {target}")

    missed = [
        key
        for key, (limit, _) in TARGETS.items()
        if figures.get(key) is None or figures[key] >= limit
    ]
    if figures["burst_delivered"] != args.burst:
        missed.append("burst_delivered")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"bench_reminders-{stamp}.json"
    report = {
        "figures": figures,
        "targets": {k: f"{op} {v}" for k, (v, op) in TARGETS.items()},
        "missed": missed,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "at": stamp,
    }
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nJSON: {out.relative_to(ROOT)}" + (f"  missed: {', '.join(missed)}" if missed else ""))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
