"""Several `calma` processes (`slack --http`, `teams`…) on one database, as a deployment runs them.

Each process's output is drained on a thread (a full pipe would stall it) and kept for failures.
Each is forked from the test worker's fork server (tests/forkserver.py): a process of its own,
started without paying Calma's imports again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from tests.adapters.procs import listening_port
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import BOT_TOKEN, SECRET
from tests.adapters.slack.signing import signed_headers
from tests.forkserver import popen_calma

ROOT = Path(__file__).resolve().parents[3]
# A failure timeout, never waited out by a passing test: on a shared, loaded machine with tests
# running side by side (pytest-xdist), a start-up of several seconds of CPU can take this long.
START_SECONDS = 90.0


class Instance:
    """One `calma slack --http` (or `door`) on CALMA_DB=`db`, ready once it printed
    `calma: ready` (with `wait=False`, call `ready()`: several then start side by side)."""

    def __init__(
        self,
        fake: FakeSlack,
        db: str,
        cwd: Path,
        name: str = "calma",
        *,
        options: tuple[str, ...] = (),
        door: tuple[str, ...] = ("slack", "--http"),
        extra_env: dict[str, str] | None = None,
        wait: bool = True,
    ) -> None:
        self.name = name
        self.port = 0  # the one it printed it listens on, known once it is ready
        self.lines: list[str] = []
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("CALMA_", "SLACK_", "Microsoft"))
        }
        if "CALMA_CACHE_DIR" in os.environ:  # the rules cache: the caller's, not ~/.cache/calma
            env["CALMA_CACHE_DIR"] = os.environ["CALMA_CACHE_DIR"]
        env.update(
            CALMA_DB=db,
            CALMA_TZ="America/Mexico_City",
            SLACK_API_URL=fake.base_url,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            PYTHONPATH=str(ROOT),
            PYTHONUTF8="1",
        )
        env.update(extra_env or {})
        self.proc = popen_calma(
            # Port 0: the system gives a free one to the process itself. A port picked here and
            # handed over could be taken in between by another test or suite on this machine.
            [*door, "--port", "0", *options],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._changed = threading.Condition()
        self._ended = False
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        if wait:
            self.ready()

    def ready(self) -> Instance:
        """Wait until the process printed `calma: ready` (its reminders re-armed)."""
        try:
            self.wait_for("calma: ready", timeout=START_SECONDS)
        except AssertionError:
            self.proc.kill()
            raise AssertionError(
                f"{self.name} did not start:\n" + "".join(self.lines[-30:])
            ) from None
        self.port = listening_port(self.output()) or self.port
        return self

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def wait_for(self, needle: str, *, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until the output holds `needle` `count` times; fail when the process ended or
        after `timeout` seconds without it."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.output().count(needle) >= count or self._ended, timeout
            )
            said = self.output()
        assert said.count(needle) >= count, f"{needle!r} not said {count}x by {self.name}:\n{said}"

    def post(self, envelope: dict[str, object], *, retry: int = 0) -> tuple[int, float]:
        """POST a signed event (as Slack's `retry`-th retry when > 0): (status, seconds taken)."""
        body = json.dumps(envelope)
        headers = signed_headers(body, SECRET)
        if retry:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/slack/events",
            data=body.encode(),
            headers=headers,
            method="POST",
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status), time.perf_counter() - started

    def get(self, path: str) -> tuple[int, str]:
        """GET a path of the instance: (status, body)."""
        url = f"http://127.0.0.1:{self.port}{path}"
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status), response.read().decode()

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._drainer.join(10)

    def stop(self) -> int:
        """SIGTERM, then the exit code once all the output is read."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._drainer.join(10)
        return self.proc.returncode

    def output(self) -> str:
        return "".join(self.lines)
