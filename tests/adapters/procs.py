"""Helpers for tests that run Calma as a real process: a free port, and waiting on a condition."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable


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
