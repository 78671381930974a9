"""Helpers for tests that run Calma as a real process: a free port, its environment, starting it
and waiting until it is ready, and waiting on a condition."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeAlias

from tests.forkserver import Forked, popen_calma

Popen: TypeAlias = subprocess.Popen[Any]

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def until(check: Callable[[], bool], timeout: float = 60.0) -> None:
    """Wait until `check()` is true; fail after `timeout` seconds.

    The timeout only ends a test that already failed: a start-up that takes 3 s of CPU can take
    over 15 s on a shared machine while tests run side by side (pytest-xdist)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


# The leases of an instance a test kills: the inbox events and queued replies it held are free
# for another instance 2 s after it took them, not 15 or 20 s (CALMA_*_LEASE_SECONDS). Only the
# instance that is killed gets them: on a loaded machine a live instance with leases this short
# could lose an event or a send it is still working on to another instance.
SHORT_INBOX_LEASE = {"CALMA_INBOX_LEASE_SECONDS": "2"}
SHORT_OUTBOX_LEASE = {"CALMA_OUTBOX_LEASE_SECONDS": "2"}


_LISTENING = re.compile(r"^calma: listening on http://[^\s]+:(\d+)$", re.MULTILINE)


def listening_port(output: str) -> int | None:
    """The port a `calma` process said it listens on (its first), None before it said so."""
    said = _LISTENING.search(output)
    return int(said.group(1)) if said else None


def calma_env(**settings: str) -> dict[str, str]:
    """This environment without any CALMA_, SLACK_ or Microsoft setting, with `settings` and
    what a child needs to import Calma from this checkout."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CALMA_", "SLACK_", "Microsoft"))
    }
    env.update(PYTHONPATH=str(ROOT), PYTHONUTF8="1")
    env.update(settings)
    return env


def run_calma(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m app.cli ARGS` run to its end (a command that refuses to start, say): its exit
    code and its output, as text."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def spawn_calma(args: list[str], env: dict[str, str], out: Path, cwd: Path) -> Forked | Popen:
    """`python -m app.cli ARGS` (forked: tests/forkserver.py), its output and errors in `out`."""
    with out.open("w") as sink:
        return popen_calma(args, env=env, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT)


async def ready(proc: Forked | Popen, out: Path) -> None:
    """Wait until the process says it is ready; fail with its output if it ended instead."""
    await until(lambda: "calma: ready" in out.read_text() or proc.poll() is not None)
    assert proc.poll() is None, out.read_text()
