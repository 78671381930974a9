"""A seeded fuzzer for the doors of a running `calma serve`: unsigned, malformed and signed-mistyped
requests to /slack/events, malformed and mutated activities to /api/messages (auth off).

Used by tests/adapters/test_fuzz.py (2,000+ requests) and bench/bench_fuzz.py (10,000+). Every
request goes to 127.0.0.1; every serviceUrl in an activity and every response_url in a Slack
payload is a local stand-in or not a URL at all, so nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp

from tests.adapters.procs import free_port
from tests.adapters.slack import recorded as slack_recorded
from tests.adapters.slack.harness import BOT_TOKEN, SECRET, command_fields, message_event
from tests.adapters.slack.signing import FORM, signed_headers
from tests.adapters.teams import payloads as teams_payloads

ROOT = Path(__file__).resolve().parents[2]
JSON = "application/json"


def deep(n: int = 5000) -> str:
    return "[" * n + "]" * n


NASTY: list[Any] = [
    None,
    0,
    1,
    -1,
    1.5,
    1e308,
    True,
    "",
    "x",
    "abc",
    "\ud800",
    "a\x00b",
    [],
    [1],
    ["x"],
    [None],
    {},
    {"x": 1},
    {"id": 5},
    [[[[[]]]]],
    "9" * 40,
]
RAW_BODIES: list[bytes] = [
    b"",
    b"[]",
    b"null",
    b"5",
    b'"x"',
    b"{}",
    b"{",
    deep().encode(),
    b"\xff\xfe not utf-8",
    b"payload=[]",
    b"payload=null",
    b"payload=%7B",
    b"payload=" + deep(3000).encode(),
    b"a=b&c=d",
    b'{"type": "event_callback", "event": "x"}',
    b'{"type": "\xed\xa0\x80"}',
    b'{"type": "\\ud800"}',
]
TIMESTAMPS = ["abc", "", "1e9", "1234.5", "-1", " 1", "99999999999999999999", "1"]


@dataclass(frozen=True)
class Request:
    path: str
    body: bytes
    headers: dict[str, str]
    kind: str


@dataclass
class Results:
    statuses: Counter[int] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    slowest: float = 0.0
    slow: list[tuple[float, str, bytes]] = field(default_factory=list)
    server_errors: list[tuple[int, str, bytes]] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into a JSON value (keys and list indexes)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield (*prefix, i)
            yield from _paths(item, (*prefix, i))


def mutate(rng: random.Random, data: dict[str, Any], times: int = 1) -> dict[str, Any]:
    """A copy of `data` with `times` random fields replaced by nasty values (or removed)."""
    data = copy.deepcopy(data)
    for _ in range(times):
        paths = list(_paths(data))
        if not paths:
            return data
        path = rng.choice(paths)
        parent: Any = data
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and rng.random() < 0.15:
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(NASTY))
    return data


def _dumps(data: Any) -> str:
    return json.dumps(data)  # ensure_ascii: lone surrogates travel as \\ud800 escapes


class Fuzzer:
    """Seeded request generator; `service_url` is the Bot Connector stand-in's URL."""

    def __init__(self, seed: int, service_url: str, response_url: str) -> None:
        self.rng = random.Random(seed)
        self.service_url = service_url
        self.response_url = response_url
        self.slack_templates = [  # response_urls at the stand-in, never hooks.slack.com
            json.loads(re.sub(r"https://hooks\.slack\.com/[^\"]*", response_url, json.dumps(t)))
            for t in map(slack_recorded.load, slack_recorded.names())
        ]
        self.teams_templates = [teams_payloads.load(n) for n in teams_payloads.names()]

    def requests(self, count: int) -> Iterator[Request]:
        makers = (
            (self.slack_unsigned, 2),
            (self.slack_signed_raw, 1),
            (self.slack_signed_mistyped, 5),
            (self.teams_raw, 1),
            (self.teams_mistyped, 3),
        )
        weighted = [m for m, w in makers for _ in range(w)]
        for _ in range(count):
            yield self.rng.choice(weighted)()

    # ---- Slack ----

    def _slack_valid(self) -> tuple[str, str]:
        """A valid-looking Slack body and its content type."""
        roll = self.rng.random()
        if roll < 0.2:
            text = self.rng.choice(
                ["Usted debería haber leído el correo", "recordar llamar a Ana en 2 horas", "x"]
            )
            return _dumps(message_event(text)), JSON
        if roll < 0.35:
            sub = self.rng.choice(["ayuda", "seguimientos", "recordar llamar en 2 horas", "x"])
            return urlencode(command_fields(sub, response_url=self.response_url)), FORM
        template = self.rng.choice(self.slack_templates)
        if "command" in template:
            return urlencode(template), FORM
        if template.get("type") in ("event_callback", "url_verification"):
            return _dumps(template), JSON
        return urlencode({"payload": _dumps(template)}), FORM

    def slack_unsigned(self) -> Request:
        rng = self.rng
        body = rng.choice(RAW_BODIES) if rng.random() < 0.6 else self._slack_valid()[0].encode()
        headers = {"Content-Type": rng.choice([JSON, FORM, "text/plain"])}
        roll = rng.random()
        if roll < 0.5:
            headers["X-Slack-Request-Timestamp"] = rng.choice(TIMESTAMPS)
            headers["X-Slack-Signature"] = "v0=" + "0" * 64
        elif roll < 0.75:  # signed with the wrong secret, or stale
            ts = int(time.time()) - rng.choice([0, 0, 400, 10**6])
            forged = signed_headers(body.decode("latin-1"), "not-the-secret", timestamp=ts)
            headers.update({k: v for k, v in forged.items() if k != "Content-Type"})
        return Request("/slack/events", body, headers, "slack-unsigned")

    def slack_signed_raw(self) -> Request:
        body = self.rng.choice(RAW_BODIES)
        content_type = self.rng.choice([JSON, FORM])
        return Request("/slack/events", body, self._sign(body, content_type), "slack-signed-raw")

    def slack_signed_mistyped(self) -> Request:
        text, content_type = self._slack_valid()
        if content_type == FORM and text.startswith("payload="):
            from urllib.parse import parse_qs

            payload = json.loads(parse_qs(text)["payload"][0])
            text = urlencode({"payload": _dumps(mutate(self.rng, payload, self.rng.randint(1, 3)))})
        elif content_type == FORM:
            from urllib.parse import parse_qsl

            fields = dict(parse_qsl(text, keep_blank_values=True))
            key = self.rng.choice(sorted(fields))
            fields[key] = self.rng.choice(["", "x", "\x00", "9" * 40, "<@U1|x>"])
            text = urlencode(fields)
        else:
            text = _dumps(mutate(self.rng, json.loads(text), self.rng.randint(1, 3)))
        body = text.encode()
        return Request("/slack/events", body, self._sign(body, content_type), "slack-mistyped")

    def _sign(self, body: bytes, content_type: str) -> dict[str, str]:
        return signed_headers(body.decode("latin-1"), SECRET, content_type=content_type)

    # ---- Teams ----

    def teams_raw(self) -> Request:
        rng = self.rng
        body = rng.choice(RAW_BODIES)
        content_type = rng.choice([JSON, JSON, "text/plain", FORM])
        return Request("/api/messages", body, {"Content-Type": content_type}, "teams-raw")

    def teams_mistyped(self) -> Request:
        activity = copy.deepcopy(self.rng.choice(self.teams_templates))
        activity["id"] = f"fuzz-{self.rng.getrandbits(48)}"
        activity["serviceUrl"] = self.service_url
        activity = mutate(self.rng, activity, self.rng.randint(1, 3))
        url = activity.get("serviceUrl")
        if isinstance(url, str) and url != self.service_url:
            activity["serviceUrl"] = "not a url"  # loopback only: never a host outside
        if self.rng.random() < 0.1:
            tenant = activity.setdefault("channelData", {})
            if isinstance(tenant, dict):
                tenant["tenant"] = {"id": "\ud800"}
        return Request("/api/messages", _dumps(activity).encode(), {"Content-Type": JSON}, "teams")


# ---- a real `calma serve` ----


def serve_env(db: Path, slack_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CALMA_", "SLACK_", "Micro"))}
    env.update(
        CALMA_DB=str(db),
        CALMA_TZ="UTC",
        SLACK_API_URL=slack_url,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        PYTHONPATH=str(ROOT),
        PYTHONUTF8="1",
    )
    return env


def start_serve(tmp: Path, slack_url: str) -> tuple[subprocess.Popen[bytes], int, Path]:
    """`calma serve` on a free loopback port; (process, port, log file)."""
    port = free_port()
    out = tmp / "serve.log"
    with out.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=serve_env(tmp / "calma.db", slack_url),
            cwd=tmp,
        )
    return proc, port, out


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def fire(
    base: str,
    requests: Iterator[Request],
    *,
    concurrency: int = 4,
    results: Results | None = None,
    slow_after: float = 1.0,
) -> Results:
    """Post every request (a few at a time); collect statuses, latencies, answers slower than
    `slow_after` seconds and any 5xx."""
    results = results or Results()
    queue = iter(requests)
    timeout = aiohttp.ClientTimeout(total=10)

    async def worker(session: aiohttp.ClientSession) -> None:
        for req in queue:
            started = time.perf_counter()
            async with session.post(base + req.path, data=req.body, headers=req.headers) as r:
                await r.read()
                status = r.status
            elapsed = time.perf_counter() - started
            results.statuses[status] += 1
            results.kinds[req.kind] += 1
            results.latencies.append(elapsed)
            if elapsed > results.slowest:
                results.slowest = elapsed
            if elapsed > slow_after:
                results.slow.append((elapsed, req.kind, req.body[:300]))
            if status >= 500:
                results.server_errors.append((status, req.kind, req.body[:300]))

    async with aiohttp.ClientSession(timeout=timeout) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return results
