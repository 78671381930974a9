"""Several `calma slack --http` instances on one PostgreSQL database under a steady event load.

Each event comes from a different agent with a judgemental line and goes to the next instance in
turn; a share is re-sent as Slack's retry to *another* instance. Measures the HTTP ack latency,
event → ephemeral latency (through the inbox and the outbox), events handled per second, and that
no nudge is lost or doubled. Makes its own database and drops it.

    .venv/bin/python bench/bench_instances.py [--instances 3] [--events 2000] [--rate 100]
        [--retries 0.05] [--check]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_slack import free_port, percentile, send_all, start_calma, warm  # noqa: E402
from tests.adapters.slack.fake_slack import FakeSlack  # noqa: E402

SERVER = os.environ.get("CALMA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TARGET_ACK_P99_MS = 50.0
TARGET_NUDGE_P99_MS = 300.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100.0, help="events per second")
    parser.add_argument("--retries", type=float, default=0.05)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--server", default=SERVER)
    args = parser.parse_args()

    import psycopg

    name = f"calma_bench_{secrets.token_hex(4)}"
    db = f"{args.server.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(args.server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    procs: list[subprocess.Popen[str]] = []
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    own_before = resource.getrusage(resource.RUSAGE_SELF)
    load_before = os.getloadavg()[0]
    wall_started = time.monotonic()
    try:
        with FakeSlack() as fake, tempfile.TemporaryDirectory() as tmp:
            ports = [free_port() for _ in range(args.instances)]
            procs = [start_calma(fake, db, port, tmp) for port in ports]
            urls = [f"http://127.0.0.1:{port}/slack/events" for port in ports]
            asyncio.run(warm(urls))
            warmed = len(fake.calls_to("chat.postEphemeral"))
            started = time.monotonic()
            sent_at, acks, errors = asyncio.run(
                send_all(urls, args.events, args.rate, args.retries, limit=300)
            )
            deadline = time.monotonic() + 20
            while (
                len(fake.calls_to("chat.postEphemeral")) - warmed < args.events
                and time.monotonic() < deadline
            ):
                time.sleep(0.02)
            finished = max((c.at for c in fake.calls_to("chat.postEphemeral")), default=started)
            time.sleep(1.0)
            nudges = [
                c for c in fake.calls_to("chat.postEphemeral") if "WARM" not in c.params["user"]
            ]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)
        wall = time.monotonic() - wall_started
        with psycopg.connect(args.server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    calma_cpu = (children.ru_utime - children_before.ru_utime) + (
        children.ru_stime - children_before.ru_stime
    )
    bench_cpu = (own.ru_utime - own_before.ru_utime) + (own.ru_stime - own_before.ru_stime)
    per_user = Counter(c.params["user"] for c in nudges)
    lost = sum(1 for user in sent_at if per_user[user] == 0)
    doubled = sum(1 for n in per_user.values() if n > 1)
    first: dict[str, float] = {}
    for call in nudges:
        first.setdefault(call.params["user"], call.at)
    delays = [(first[u] - sent_at[u]) * 1000 for u in sent_at if u in first]
    handled_per_s = len(first) / max(finished - started, 1e-9)
    ack_p99, nudge_p99 = percentile(acks, 99), percentile(delays, 99)
    print(
        f"instances: {args.instances} on PostgreSQL; events: {args.events} at {args.rate:g}/s,"
        f" {len(acks)} requests with retries; non-200: {errors}"
    )
    print(f"handled:            {handled_per_s:.0f} events/s (first send to last ephemeral)")
    print(
        f"ack ms:             p50 {percentile(acks, 50):.1f}  p99 {ack_p99:.1f}"
        f"  max {max(acks):.1f}  (target p99 < {TARGET_ACK_P99_MS:g})"
    )
    print(
        f"event→ephemeral ms: p50 {percentile(delays, 50):.1f}  p99 {nudge_p99:.1f}"
        f"  max {max(delays):.1f}  (target p99 < {TARGET_NUDGE_P99_MS:g})"
    )
    print(f"nudges: {len(nudges)}  lost: {lost}  doubled: {doubled}")
    print(
        f"cpu s (user+sys):   calma instances {calma_cpu:.1f}, this bench and the Slack"
        f" stand-in {bench_cpu:.1f}; wall {wall:.1f} s; load average {load_before:.1f} →"
        f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work on the machine counts)"
    )
    ok = ack_p99 < TARGET_ACK_P99_MS and nudge_p99 < TARGET_NUDGE_P99_MS
    ok = ok and not lost and not doubled and not errors
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
