"""The doors' event loop: uvloop's when installed, asyncio's on request."""

from __future__ import annotations

import asyncio

import pytest
import uvloop

from app import cli_doors


def test_the_doors_run_on_uvloop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALMA_LOOP", raising=False)
    factory = cli_doors._loop_factory()
    assert factory is not None
    with asyncio.Runner(loop_factory=factory) as runner:
        assert isinstance(runner.get_loop(), uvloop.Loop)


def test_calma_loop_asyncio_keeps_asyncios_own_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALMA_LOOP", "asyncio")
    assert cli_doors._loop_factory() is None


def test_a_door_command_runs_its_main_on_the_chosen_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALMA_LOOP", raising=False)
    seen: list[object] = []

    async def main() -> int:
        seen.append(asyncio.get_running_loop())
        return 3

    assert cli_doors._run(main) == 3
    assert isinstance(seen[0], uvloop.Loop)
