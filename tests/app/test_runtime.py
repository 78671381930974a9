"""The server `serve` opens: its listen queue holds a burst of new connections."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import Any

import pytest

from adapters.http_lane import LaneSite
from app import runtime
from bot.config import Settings
from tests.adapters.procs import free_port


async def test_the_listen_queue_holds_more_than_aiohttps_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backlogs: list[int] = []

    class Site(LaneSite):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            backlogs.append(kwargs.get("backlog", 128))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(runtime, "LaneSite", Site)
    settings = Settings(db=str(tmp_path / "calma.db"))
    server = asyncio.create_task(runtime.serve(settings, [], host="127.0.0.1", port=free_port()))
    try:
        for _ in range(500):
            if backlogs or server.done():
                break
            await asyncio.sleep(0.01)
    finally:
        server.cancel()
        await asyncio.gather(server, return_exceptions=True)
    assert backlogs == [runtime.BACKLOG]
    assert runtime.BACKLOG >= 1024


async def test_serve_freezes_the_start_up_heap_before_it_is_ready(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full collection under load walked every start-up object and held the loop 35-80 ms:
    `serve` freezes them once the runtime has started, before it says it is ready."""
    settled: list[int] = []
    monkeypatch.setattr(runtime, "settle_heap", lambda: settled.append(1))
    started = asyncio.Event()

    async def start(self: runtime.Runtime) -> None:
        started.set()

    monkeypatch.setattr(runtime.Runtime, "start", start)
    settings = Settings(db=str(tmp_path / "calma.db"))
    server = asyncio.create_task(runtime.serve(settings, [], host="127.0.0.1", port=free_port()))
    try:
        await asyncio.wait_for(started.wait(), 10)
        for _ in range(100):
            if settled:
                break
            await asyncio.sleep(0.01)
    finally:
        server.cancel()
        await asyncio.gather(server, return_exceptions=True)
    assert settled == [1]


def test_settle_heap_freezes_what_is_alive() -> None:
    kept = [{"rule": n} for n in range(1000)]
    try:
        runtime.settle_heap()
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
