"""Load benchmark of the Slack door: signed message events at a steady rate into `calma slack`.

The Web API stand-in (tests/adapters/slack/fake_slack.py) runs on a thread of this process; Calma
runs as its own process. Each event comes from a different agent with a judgemental line, so each
must produce exactly one `chat.postEphemeral` (fatigue rules allow one per agent). A share of the
events is sent again as Slack's retry (same event_id), which must not nudge a second time.

    .venv/bin/python bench/bench_slack.py [--events 2000] [--rate 100] [--retries 0.05] [--check]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.adapters.slack.fake_slack import FakeSlack  # noqa: E402
from tests.adapters.slack.harness import BOT_TOKEN, SECRET, message_event  # noqa: E402
from tests.adapters.slack.signing import signed_headers  # noqa: E402

TARGET_ACK_P99_MS = 50.0
TARGET_NUDGE_P99_MS = 300.0
LINES = (
    "Usted debería haber leído el correo que le enviamos.",
    "Como ya le dije, usted debería haber reiniciado el router.",
    "Usted debió revisar la factura antes de escribirnos.",
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_calma(fake: FakeSlack, db: str, port: int, cwd: str) -> subprocess.Popen[str]:
    """`calma slack --http` on `port` against the fake Slack, once it says it is ready."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CALMA_", "SLACK_"))}
    env.update(
        CALMA_DB=db,
        SLACK_API_URL=fake.base_url,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        PYTHONPATH=str(ROOT),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "slack", "--http", "--port", str(port)],
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100.0, help="events per second")
    parser.add_argument("--retries", type=float, default=0.05, help="share of events re-sent")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    with FakeSlack() as fake, tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        proc = start_calma(fake, str(Path(tmp) / "calma.db"), port, tmp)
        try:
            urls = [f"http://127.0.0.1:{port}/slack/events"]
            asyncio.run(warm(urls))
            sent_at, acks, errors = asyncio.run(
                send_all(urls, args.events, args.rate, args.retries)
            )
            deadline = time.monotonic() + 10
            while (
                len(fake.calls_to("chat.postEphemeral")) < args.events
                and time.monotonic() < deadline
            ):
                time.sleep(0.05)
            time.sleep(1.0)  # let any doubled nudge arrive
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        nudges = fake.calls_to("chat.postEphemeral")
    per_user = Counter(c.params["user"] for c in nudges)
    lost = sum(1 for user in sent_at if per_user[user] == 0)
    doubled = sum(1 for n in per_user.values() if n > 1)
    first = {}
    for call in nudges:
        first.setdefault(call.params["user"], call.at)
    delays = [(first[u] - sent_at[u]) * 1000 for u in sent_at if u in first]
    ack_p50, ack_p99 = percentile(acks, 50), percentile(acks, 99)
    nudge_p50, nudge_p99 = percentile(delays, 50), percentile(delays, 99)
    total = len(acks)
    print(f"events: {args.events} at {args.rate:g}/s; with retries: {total}; non-200: {errors}")
    ack_line = f"p50 {ack_p50:.1f}  p99 {ack_p99:.1f}  max {max(acks):.1f}"
    print(f"ack ms:             {ack_line}  (target p99 < {TARGET_ACK_P99_MS:g})")
    nudge_line = f"p50 {nudge_p50:.1f}  p99 {nudge_p99:.1f}  max {max(delays):.1f}"
    print(f"event→ephemeral ms: {nudge_line}  (target p99 < {TARGET_NUDGE_P99_MS:g})")
    print(f"nudges: {len(nudges)}  lost: {lost}  doubled: {doubled}")
    ok = (
        ack_p99 < TARGET_ACK_P99_MS
        and nudge_p99 < TARGET_NUDGE_P99_MS
        and not lost
        and not doubled
        and not errors
    )
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
