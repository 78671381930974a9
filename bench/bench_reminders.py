"""Reminders at scale, against the targets of issue 3.

Usage: .venv/bin/python bench/bench_reminders.py [--reminders N] [--burst M] [--same-instant]
       [--check] [--aps-baseline]

1. Inserts N (default 100,000) pending reminders due over the next 30 days into a fresh SQLite file.
2. In a fresh process: opens the store and starts the ReminderScheduler on the real ApsTimers,
   re-arming every pending row (timed), reads VmRSS, then adds M (default 100) reminders due in the
   same second (spread over it, or all at one instant with --same-instant) and measures each
   one's delivery lateness with a no-op async notifier.
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
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from bench.reminder_burst import (  # noqa: E402
    burst_lateness,
    rss_mb,
    run_child,
    start_armed,
)

TARGETS = {
    "rearm_s": (3.0, "<"),
    "rss_mb": (250.0, "<"),
    "lateness_p99_ms": (1000.0, "<"),
}


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


async def child(path: Path, burst: int, same_instant: bool) -> dict[str, Any]:
    """The measuring process: re-arm everything, read RSS, then time a burst of deliveries."""
    from bot.store import SqliteStore

    store, scheduler, notifier, figures = start_armed(
        lambda clock: SqliteStore(path, clock=clock), shared=False, timed_as="rearm_s"
    )
    figures |= await burst_lateness(
        scheduler,
        notifier,
        burst,
        same_instant=same_instant,
        workspace="T1",
        wait_s=15,
        settle_s=0.2,
    )
    scheduler.shutdown()
    figures["pending_after"] = len(store.pending_due_times())
    store.close()
    return figures


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
        figures = run_child(
            __file__, child_args + (["--same-instant"] if args.same_instant else [])
        )
    figures.update({"reminders": args.reminders, "insert_s": insert_s, "db_mb": size_mb})
    figures["burst_same_instant"] = args.same_instant
    if args.aps_baseline:
        figures.update(run_child(__file__, ["--child-aps", str(args.reminders)]))

    when = "at one instant" if args.same_instant else "in one second"
    rows = [
        ("pending reminders armed", f"{figures['armed']:,}", ""),
        ("insert (one transaction)", f"{insert_s:.2f} s", ""),
        ("database file", f"{size_mb:.1f} MB", ""),
        ("start + re-arm all", f"{figures['rearm_s']:.2f} s", "< 3 s"),
        ("RSS after re-arm", f"{figures['rss_mb']:.0f} MB", "< 250 MB"),
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
