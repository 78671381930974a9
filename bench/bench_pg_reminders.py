"""Reminders on PostgreSQL at scale: 100,000 pending rows, start-up, memory, claims per second,
and the lateness of 100 reminders due in the same second, as one shared-store instance runs them.

Usage: .venv/bin/python bench/bench_pg_reminders.py [--reminders N] [--burst M] [--claims K]
       [--same-instant] [--server URL]

Makes its own database on the server (default CALMA_TEST_PG or postgresql://postgres@127.0.0.1/
postgres) and drops it at the end. Steps:
1. COPY N pending reminders due over the next 30 days.
2. In a fresh process: open PgStore, start the ReminderScheduler (claims on, as with several
   instances) on the real ApsTimers, re-arming every row (timed), read VmRSS; add M reminders due
   in one second (spread over it, or at one instant) and measure each delivery's lateness with a
   no-op notifier, while a sweep runs every second as in the runtime.
3. K reminders already due: time claim_due in batches of 200 (the sweep's way) and single claims
   (the timer's way), in claims per second.
Prints a table and writes JSON to bench/results/ (gitignored).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import platform
import random
import secrets
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from bench.reminder_burst import (  # noqa: E402
    burst_lateness,
    run_child,
    start_armed,
)

SERVER = os.environ.get("CALMA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def populate(url: str, count: int, *, due_from: float, due_to: float, workspace: str) -> float:
    """COPY `count` pending reminders due between now+due_from and now+due_to seconds."""
    import psycopg

    rng = random.Random(3)
    now = datetime.now(UTC)
    started = time.perf_counter()
    buffer = io.StringIO()
    for k in range(count):
        due = now + timedelta(seconds=rng.uniform(due_from, due_to))
        buffer.write(
            f"slack\t{workspace}\tU{k % 500:04d}\tC{k % 40}\t"
            "Le llamo mañana a las 10 para confirmarle el cambio de tarifa\t"
            f"{due.isoformat()}\t{now.isoformat()}\tes\n"
        )
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        with cursor.copy(
            'COPY reminders (platform, workspace, "user", channel, text, due_at, created_at, lang)'
            " FROM STDIN"
        ) as copy:
            copy.write(buffer.getvalue())
        conn.execute("ANALYZE reminders")
    return time.perf_counter() - started


async def child(url: str, burst: int, same_instant: bool) -> dict[str, Any]:
    """Start-up and memory with every row armed, then a burst due in one second."""
    from bot.store.postgres import PgStore

    store, scheduler, notifier, figures = start_armed(
        lambda clock: PgStore(url, clock=clock), shared=True, timed_as="startup_s"
    )

    async def sweeping() -> None:
        while True:
            await asyncio.sleep(1.0)
            await scheduler.sweep()

    sweeper = asyncio.create_task(sweeping())
    figures |= await burst_lateness(
        scheduler,
        notifier,
        burst,
        same_instant=same_instant,
        workspace="TBURST",
        wait_s=20,
        settle_s=0.3,
    )
    sweeper.cancel()
    scheduler.shutdown()
    store.close()
    return figures


def claims(url: str, count: int) -> dict[str, float]:
    """Claims per second over `count` due rows: batches of 200, then one by one."""
    from bot.store.postgres import PgStore

    store = PgStore(url)
    lease = timedelta(seconds=20)
    populate(url, count, due_from=-3600, due_to=-60, workspace="TCLAIM")
    now = datetime.now(UTC)
    started = time.perf_counter()
    taken = 0
    # Each batch as another instance would claim it (an owner may renew its own claims).
    while batch := store.claim_due(f"bench-{taken}", now, lease, 200):
        taken += len(batch)
    batch_s = time.perf_counter() - started
    # Single claims: the same rows, once their leases are over.
    later = now + lease + timedelta(seconds=1)
    with store.tx() as conn:
        ids = [
            row["id"]
            for row in conn.execute(
                "SELECT id FROM reminders WHERE workspace = 'TCLAIM' ORDER BY id LIMIT 2000"
            )
        ]
    started = time.perf_counter()
    won = sum(store.claim(i, "bench-single", later, lease) for i in ids)
    single_s = time.perf_counter() - started
    store.close()
    return {
        "claim_due_rows": taken,
        "claim_due_per_s": taken / batch_s,
        "claim_single_rows": won,
        "claim_single_per_s": won / single_s,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--burst", type=int, default=100)
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--same-instant", action="store_true")
    parser.add_argument("--server", default=SERVER)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(child(args.child, args.burst, args.same_instant))))
        return 0

    import psycopg

    from bot.store.postgres import PgStore

    name = f"calma_bench_{secrets.token_hex(4)}"
    base = args.server.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    with psycopg.connect(args.server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        PgStore(url).close()  # migrations
        populate_s = populate(
            url, args.reminders, due_from=60, due_to=30 * 86400, workspace="TMANY"
        )
        child_args = ["--child", url, "--burst", str(args.burst)]
        result = run_child(__file__, child_args + (["--same-instant"] if args.same_instant else []))
        result.update(claims(url, args.claims))
    finally:
        with psycopg.connect(args.server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
    result.update(
        reminders=args.reminders,
        populate_s=populate_s,
        same_instant=args.same_instant,
        python=platform.python_version(),
        cpus=os.cpu_count(),
    )
    print(f"pending reminders:           {args.reminders:,} (COPY in {populate_s:.1f} s)")
    print(f"start-up (open + re-arm):    {result['startup_s']:.2f} s, {result['armed']:,} armed")
    print(f"memory after start-up:       {result['rss_mb']:.0f} MB RSS")
    print(
        f"claims per second:           {result['claim_due_per_s']:,.0f} in batches of 200,"
        f" {result['claim_single_per_s']:,.0f} one by one"
    )
    print(
        f"{args.burst} due in one second:     delivered {result['burst_delivered']},"
        f" lateness p50 {result['lateness_p50_ms']:.0f} ms, p99 {result['lateness_p99_ms']:.0f} ms,"
        f" max {result['lateness_max_ms']:.0f} ms"
    )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"pg_reminders_{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
