"""Fuzz benchmark of the doors: seeded bad requests against a real `calma serve` over loopback.

The same generator as tests/adapters/test_fuzz.py (tests/adapters/fuzz.py), at bench size: unsigned,
malformed and signed-but-mistyped requests to /slack/events, malformed and mutated activities to
/api/messages. Prints answers by status and kind, latency percentiles, RSS and any 5xx or traceback.

    .venv/bin/python bench/bench_fuzz.py [--requests 10000] [--seed 11] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.adapters.fuzz import Fuzzer, fire, rss_kib, start_serve  # noqa: E402
from tests.adapters.procs import until  # noqa: E402
from tests.adapters.slack.fake_slack import FakeSlack  # noqa: E402
from tests.adapters.teams.connector import BotConnector  # noqa: E402

WARM_UP = 500


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def run(count: int, seed: int, concurrency: int, keep_log: str | None) -> int:
    connector = BotConnector()
    await connector.start()
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as slack:
        proc, port, log = start_serve(Path(tmp), slack.base_url)
        try:
            await until(lambda: b"calma: ready" in log.read_bytes() or proc.poll() is not None, 60)
            base = f"http://127.0.0.1:{port}"
            requests = Fuzzer(seed, connector.url, slack.response_url("fuzz")).requests(
                WARM_UP + count
            )
            await fire(base, (next(requests) for _ in range(WARM_UP)), concurrency=concurrency)
            rss_before = rss_kib(proc.pid)
            started = time.perf_counter()
            results = await fire(base, requests, concurrency=concurrency)
            seconds = time.perf_counter() - started
            rss_after = rss_kib(proc.pid)
            alive = proc.poll() is None
        finally:
            proc.send_signal(signal.SIGTERM)
            stopped = time.perf_counter()
            try:  # off the loop: the Bot Connector stand-in must answer meanwhile
                await asyncio.to_thread(proc.wait, 30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            stop_seconds = time.perf_counter() - stopped
        text = log.read_text(errors="replace")
        if keep_log:
            Path(keep_log).write_text(text)
    await connector.stop()
    ms = [x * 1000 for x in results.latencies]
    print(f"requests: {results.total} (+{WARM_UP} warm-up), seed {seed}, concurrency {concurrency}")
    print(f"time: {seconds:.1f} s, {results.total / seconds:.0f} requests/s")
    print("by kind:  " + ", ".join(f"{k} {v}" for k, v in sorted(results.kinds.items())))
    print("by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(results.statuses.items())))
    print(
        f"latency ms: p50 {percentile(ms, 50):.1f}, p99 {percentile(ms, 99):.1f},"
        f" max {max(ms):.1f}; over 1 s: {len(results.slow)}"
    )
    print(f"stop after SIGTERM: {stop_seconds:.1f} s, exit code {proc.returncode}")
    print(f"RSS KiB: {rss_before} -> {rss_after} ({rss_after - rss_before:+d})")
    tracebacks = text.count("Traceback")
    print(f"5xx: {len(results.server_errors)}, tracebacks in the log: {tracebacks}, alive: {alive}")
    for status, kind, body in results.server_errors[:5]:
        print(f"  {status} {kind} {body[:160]!r}")
    for seconds_taken, kind, body in results.slow[:5]:
        print(f"  slow {seconds_taken:.2f} s {kind} {body[:300]!r}")
    if tracebacks:
        start = text.index("Traceback")
        print(text[max(0, start - 400) : start + 4000])
    ok = (
        proc.returncode == 0
        and alive
        and not results.server_errors
        and not tracebacks
        and not results.slow
    )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--log", help="keep the server's log in this file")
    args = parser.parse_args()
    return asyncio.run(run(args.requests, args.seed, args.concurrency, args.log))


if __name__ == "__main__":
    sys.exit(main())
