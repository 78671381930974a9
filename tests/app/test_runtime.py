"""The server `serve` opens: its listen queue holds a burst of new connections."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from app import runtime
from bot.config import Settings
from tests.adapters.procs import free_port


async def test_the_listen_queue_holds_more_than_aiohttps_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backlogs: list[int] = []

    class Site(web.TCPSite):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            backlogs.append(kwargs.get("backlog", 128))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(web, "TCPSite", Site)
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
