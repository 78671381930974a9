"""Load benchmark of the Slack door: signed message events into `calma slack --http`, the rate
ramped step by step until the door no longer holds its targets (the knee).

The Web API stand-in (tests/adapters/slack/fake_slack.py) runs on a thread of this process; Calma
runs as its own process, pinned to one core (`--cpu`, taskset). The load comes from `--agents`
people (default 100) writing a mix of plain and judgemental lines: their users.info answers are
cached after the first, and fatigue holds their later nudges back, as with a real team. Every
`--probe-every`-th event is a probe: a judgemental line from an agent never seen before, which
must produce exactly one `chat.postEphemeral`; event → ephemeral latency is measured on the
probes (spread over the whole step). A share of the events is sent again as Slack's retry (same
event_id), which must not nudge a second time. Per step: ack p50/p99 over every request,
event → ephemeral p50/p99 over the probes, and the CPU (user + sys) Calma spent per event.

    .venv/bin/python bench/bench_slack.py [--rates 200,400,...] [--seconds 5] [--agents 100]
        [--probe-every 10] [--retries 0.05] [--cpu 0] [--profile out.prof] [--check]

`--memory N` instead sends N events (default rate 800/s) from `--distinct` agents (default 10,000),
each a first-time line, and prints Calma's RSS idle (after the warm-up) and after: the target is
growth within 20 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.http_load import HttpError, LoadClient  # noqa: E402
from tests.adapters.slack.fake_slack import FakeSlack  # noqa: E402
from tests.adapters.slack.harness import BOT_TOKEN, SECRET, message_event  # noqa: E402
from tests.adapters.slack.signing import signed_headers  # noqa: E402

TARGET_ACK_P99_MS = 50.0
TARGET_NUDGE_P99_MS = 300.0
TARGET_RSS_GROWTH_MB = 20.0
DEFAULT_RATES = "200,400,600,800,1000,1200,1500"
LINES = (
    "Usted debería haber leído el correo que le enviamos.",
    "Como ya le dije, usted debería haber reiniciado el router.",
    "Usted debió revisar la factura antes de escribirnos.",
)
PLAIN = (
    "Gracias por escribirnos, reviso su caso ahora mismo.",
    "Ya veo el pedido en el sistema; le confirmo la dirección de entrega.",
    "Perfecto, el cambio de tarifa queda aplicado desde hoy.",
)


PROFILED = """
import cProfile, runpy, sys, time
sys.argv = ["calma", *sys.argv[1:]]
profiler = cProfile.Profile(time.process_time)
try:
    profiler.runcall(runpy.run_module, "app.cli", run_name="__main__")
except SystemExit:
    pass
finally:
    profiler.dump_stats({out!r})
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_calma(
    fake: FakeSlack,
    db: str,
    port: int,
    cwd: str,
    *,
    cpu: int | None = None,
    profile: Path | None = None,
) -> subprocess.Popen[str]:
    """`calma slack --http` on `port` against the fake Slack, once it says it is ready (on core
    `cpu` when given; under cProfile when `profile` names a file)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CALMA_", "SLACK_"))}
    if "CALMA_CACHE_DIR" in os.environ:  # the rules cache: the caller's, not ~/.cache/calma
        env["CALMA_CACHE_DIR"] = os.environ["CALMA_CACHE_DIR"]
    env.update(
        CALMA_DB=db,
        SLACK_API_URL=fake.base_url,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        PYTHONPATH=str(ROOT),
    )
    command = [sys.executable]
    if profile is not None:  # CPU time, not wall time: the machine may be busy with others
        command += ["-c", PROFILED.format(out=str(profile))]
    else:
        command += ["-m", "app.cli"]
    command += ["slack", "--http", "--port", str(port)]
    if cpu is not None and shutil.which("taskset"):
        command = ["taskset", "-c", str(cpu), *command]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "calma: ready" in line:
            return proc
    raise SystemExit(f"calma exited with {proc.wait()}")


async def send_all(
    urls: list[str], events: int, rate: float, retries: float, *, limit: int = 200
) -> tuple[dict[str, float], list[float], int]:
    """Send the events on schedule, round the instances in `urls` (a redelivery goes to the next
    one); returns send time per user, ack latencies, non-200 count."""
    sent_at: dict[str, float] = {}
    acks: list[float] = []
    errors = 0
    rng = random.Random(7)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=limit)) as session:

        async def post(url: str, envelope: dict[str, object], extra: dict[str, str]) -> None:
            nonlocal errors
            body = json.dumps(envelope)
            started = time.monotonic()
            headers = {**signed_headers(body, SECRET), **extra}
            async with session.post(url, data=body, headers=headers) as answer:
                await answer.read()
                errors += answer.status != 200
            acks.append((time.monotonic() - started) * 1000)

        async def one(i: int, at: float) -> None:
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            user = f"U{i:08d}"
            envelope = message_event(LINES[i % len(LINES)], user=user, channel="C0BENCH")
            sent_at[user] = time.monotonic()
            await post(urls[i % len(urls)], envelope, {})
            if rng.random() < retries:
                retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
                await post(urls[(i + 1) % len(urls)], envelope, retry)

        begin = time.monotonic() + 0.2
        await asyncio.gather(*(one(i, begin + i / rate) for i in range(events)))
    return sent_at, acks, errors


async def warm(urls: list[str]) -> None:
    """One greeting per instance: Bolt's first request runs auth.test; not part of the measure."""
    async with aiohttp.ClientSession() as session:
        for n, url in enumerate(urls):
            body = json.dumps(message_event("Hola, buenos días.", user=f"U0WARM{n}"))
            async with session.post(url, data=body, headers=signed_headers(body, SECRET)) as r:
                await r.read()


def keep_off(cpu: int | None) -> None:
    """Run the bench (load and Web API stand-in, threads started from now on) on the cores Calma
    is not pinned to, so the two never take turns on one core."""
    if cpu is None or not hasattr(os, "sched_setaffinity"):
        return
    others = set(os.sched_getaffinity(0)) - {cpu}
    if others:
        os.sched_setaffinity(0, others)


def cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used so far (from /proc/PID/stat)."""
    return sum(cpu_times(pid))


def cpu_times(pid: int) -> tuple[float, float]:
    """User and system CPU the process has used so far (from /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


@dataclass
class Load:
    """What one step sent: ack latencies, non-200 answers, and when each probe went out."""

    acks: list[float] = field(default_factory=list)
    errors: int = 0
    probes: dict[str, float] = field(default_factory=dict)  # probe user → sent at (monotonic)
    sent: int = 0


async def send_load(
    url: str,
    count: int,
    rate: float,
    *,
    agent_of: object,
    probe_every: int,
    retries: float,
    tag: str,
    seed: int = 7,
) -> Load:
    """Send `count` events at `rate`/s; every `probe_every`-th a probe from a new agent."""
    load = Load()
    rng = random.Random(seed)
    tasks: set[asyncio.Task[None]] = set()
    client = LoadClient(url, limit=400)

    async def post(envelope: dict[str, object], extra: dict[str, str]) -> None:
        body = json.dumps(envelope)
        started = time.monotonic()
        try:
            status = await client.post(body.encode(), {**signed_headers(body, SECRET), **extra})
            if status != 200:
                load.errors += 1
        except HttpError:
            load.errors += 1
        load.acks.append((time.monotonic() - started) * 1000)

    async def one(i: int) -> None:
        probe = probe_every > 0 and i % probe_every == 0
        if probe:
            user, line = f"P{tag}{i:07d}", LINES[i % len(LINES)]
        else:
            user = agent_of(i)  # type: ignore[operator]
            line = (LINES + PLAIN)[rng.randrange(len(LINES) + len(PLAIN))]
        envelope = message_event(line, user=user, channel="C0BENCH")
        if probe:
            load.probes[user] = time.monotonic()
        await post(envelope, {})
        if rng.random() < retries:
            await post(envelope, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"})

    try:
        start = time.monotonic() + 0.1
        for i in range(count):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(one(i))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            load.sent += 1
        if tasks:
            await asyncio.wait(set(tasks))
    finally:
        client.close()
    return load


def wait_for_probes(fake: FakeSlack, probes: dict[str, float], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        nudged = {c.params.get("user") for c in fake.calls_to("chat.postEphemeral")}
        if all(p in nudged for p in probes):
            return
        time.sleep(0.05)


def judge(fake: FakeSlack, load: Load) -> dict[str, float]:
    """Latency and correctness figures of one step, from what the stand-in received."""
    nudges = [c for c in fake.calls_to("chat.postEphemeral") if c.params.get("user") in load.probes]
    per_user = Counter(c.params["user"] for c in nudges)
    first: dict[str, float] = {}
    for call in nudges:
        first.setdefault(call.params["user"], call.at)
    delays = [(first[u] - at) * 1000 for u, at in load.probes.items() if u in first]
    return {
        "ack_p50": percentile(load.acks, 50),
        "ack_p99": percentile(load.acks, 99),
        "nudge_p50": percentile(delays, 50) if delays else float("inf"),
        "nudge_p99": percentile(delays, 99) if delays else float("inf"),
        "lost": sum(1 for u in load.probes if per_user[u] == 0),
        "doubled": sum(1 for n in per_user.values() if n > 1),
        "errors": load.errors,
    }


def ramp(args: argparse.Namespace, fake: FakeSlack, proc: subprocess.Popen[str], url: str) -> int:
    rates = [float(r) for r in args.rates.split(",")]
    agents = [f"U{k:05d}" for k in range(args.agents)]
    for agent in agents:
        fake.add_user(agent, tz="America/Mexico_City")
    print(
        f"{args.agents} agents, a probe every {args.probe_every} events, {args.seconds:g} s a step,"
        f" retries {args.retries:g}; Calma on core {args.cpu} (machine: {os.cpu_count()} cores,"
        f" load {os.getloadavg()[0]:.1f})"
    )
    print(
        f"{'rate/s':>7} {'sent':>6} {'ack p50':>8} {'ack p99':>8} {'nudge p50':>10}"
        f" {'nudge p99':>10} {'CPU ms/ev':>9} {'sys':>6} {'lost':>5} {'dbl':>4} {'err':>4}  ok"
    )
    knee = 0.0
    failures = 0
    all_ok = True
    for step, rate in enumerate(rates):
        count = int(rate * args.seconds)
        user_before, sys_before = cpu_times(proc.pid)
        load = asyncio.run(
            send_load(
                url,
                count,
                rate,
                agent_of=lambda i: agents[i % len(agents)],
                probe_every=args.probe_every,
                retries=args.retries,
                tag=f"{step:02d}",
                seed=step,
            )
        )
        wait_for_probes(fake, load.probes, 15.0)
        time.sleep(0.3)
        user_after, sys_after = cpu_times(proc.pid)
        requests = max(len(load.acks), 1)
        sys_ms = (sys_after - sys_before) * 1000 / requests  # the kernel's share: sockets, writes
        cpu_ms = (user_after - user_before) * 1000 / requests + sys_ms
        f = judge(fake, load)
        ok = (
            f["ack_p99"] < TARGET_ACK_P99_MS
            and f["nudge_p99"] < TARGET_NUDGE_P99_MS
            and not f["lost"]
            and not f["doubled"]
            and not f["errors"]
        )
        print(
            f"{rate:>7g} {load.sent:>6} {f['ack_p50']:>8.1f} {f['ack_p99']:>8.1f}"
            f" {f['nudge_p50']:>10.1f} {f['nudge_p99']:>10.1f} {cpu_ms:>9.3f} {sys_ms:>6.3f}"
            f" {f['lost']:>5} {f['doubled']:>4} {f['errors']:>4}  {'yes' if ok else 'NO'}",
            flush=True,
        )
        all_ok = all_ok and (ok or rate > 1000)
        if ok:
            knee = rate
            failures = 0
        else:
            failures += 1
            if failures >= 2 and not args.keep_going:
                break
        time.sleep(1.0)  # let the door drain between steps
    print(
        f"knee: {knee:g} events/s (ack p99 < {TARGET_ACK_P99_MS:g} ms,"
        f" event → ephemeral p99 < {TARGET_NUDGE_P99_MS:g} ms)"
    )
    met = knee >= 1000
    print("target met (>= 1,000 events/s)" if met else "TARGET MISSED (< 1,000 events/s)")
    return 0 if met or not args.check else 1


def memory(args: argparse.Namespace, fake: FakeSlack, proc: subprocess.Popen[str], url: str) -> int:
    time.sleep(1.0)
    idle = rss_mb(proc.pid)
    cpu_before = cpu_seconds(proc.pid)
    started = time.monotonic()
    load = asyncio.run(
        send_load(
            url,
            args.memory,
            args.memory_rate,
            agent_of=lambda i: f"U{i % args.distinct:06d}",
            probe_every=0,
            retries=args.retries,
            tag="m",
        )
    )
    # the door may still be working through its backlog: wait until its CPU use settles
    last = cpu_seconds(proc.pid)
    while True:
        time.sleep(1.0)
        now = cpu_seconds(proc.pid)
        if now - last < 0.05:
            break
        last = now
    took = time.monotonic() - started
    after = rss_mb(proc.pid)
    cpu_ms = (cpu_seconds(proc.pid) - cpu_before) * 1000 / max(len(load.acks), 1)
    growth = after - idle
    print(
        f"{args.memory} events from {args.distinct} agents at {args.memory_rate:g}/s"
        f" (done in {took:.0f} s; non-200: {load.errors}; CPU {cpu_ms:.3f} ms/event)"
    )
    print(
        f"RSS idle {idle:.1f} MB, after {after:.1f} MB: growth {growth:.1f} MB"
        f" (target < {TARGET_RSS_GROWTH_MB:g})"
    )
    ok = growth < TARGET_RSS_GROWTH_MB and not load.errors
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok or not args.check else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default=DEFAULT_RATES, help="events per second, step by step")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each step")
    parser.add_argument("--agents", type=int, default=100)
    parser.add_argument("--probe-every", type=int, default=10)
    parser.add_argument("--retries", type=float, default=0.05, help="share of events re-sent")
    parser.add_argument("--cpu", type=int, default=0, help="the core Calma runs on (-1: any)")
    parser.add_argument("--profile", type=Path, help="run Calma under cProfile, stats to this file")
    parser.add_argument("--memory", type=int, default=0, help="RSS mode: this many events")
    parser.add_argument("--memory-rate", type=float, default=800.0)
    parser.add_argument("--distinct", type=int, default=10_000, help="agents in RSS mode")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--keep-going", action="store_true", help="run every rate (CPU per event past the knee)"
    )
    args = parser.parse_args()
    cpu = None if args.cpu < 0 else args.cpu
    keep_off(cpu)
    with FakeSlack() as fake, tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        profile = args.profile.resolve() if args.profile else None
        proc = start_calma(fake, str(Path(tmp) / "calma.db"), port, tmp, cpu=cpu, profile=profile)
        url = f"http://127.0.0.1:{port}/slack/events"
        try:
            # Warm-up: Bolt's first request runs auth.test; not part of the measure.
            asyncio.run(
                send_load(
                    url,
                    200,
                    100.0,
                    agent_of=lambda i: "U0WARMUP",
                    probe_every=0,
                    retries=0,
                    tag="w",
                )
            )
            time.sleep(0.5)
            if args.memory:
                return memory(args, fake, proc, url)
            return ramp(args, fake, proc, url)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
