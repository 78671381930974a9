"""The doors' event loop (uvloop's when installed, asyncio's on request) and the address they
listen on: a port that cannot be used is refused with a message, never a traceback."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
from pathlib import Path

import pytest
import uvloop
from aiohttp import ClientSession

from app import cli_doors
from bot.config import ConfigError
from tests.adapters.procs import calma_env, listening_port, ready, run_calma, spawn_calma


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


@pytest.mark.parametrize(
    ("text", "port"), [("0", 0), ("80", 80), (" 3978 ", 3978), ("65535", 65535)]
)
def test_a_port_is_a_whole_number_from_0_to_65535(text: str, port: int) -> None:
    assert cli_doors.port_number(text) == port


@pytest.mark.parametrize(
    "text", ["65536", "70000", "-1", "abc", "", "8O", "٣٩٧٨", "9" * 5000, "1e3"]
)
def test_any_other_port_is_refused_with_what_was_typed(text: str) -> None:
    with pytest.raises(ConfigError, match="PORT must be a whole number from 0 to 65535, not "):
        cli_doors.port_number(text, "PORT")


def _calma(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run_calma(args, calma_env(CALMA_DB=str(tmp_path / "calma.db"), **env), tmp_path)


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        (["teams", "--port", "70000"], {}, "argument --port: port must be a whole number"),
        (["slack", "--health-port", "-1"], {}, "argument --health-port: port must be"),
        (["teams"], {"PORT": "abc"}, "calma: PORT must be a whole number from 0 to 65535"),
        (["teams", "--host", "no-such-host.invalid", "--port", "0"], {}, "calma: cannot listen"),
    ],
)
def test_a_door_given_an_address_it_cannot_use_says_so_and_exits_2(
    args: list[str], env: dict[str, str], said: str, tmp_path: Path
) -> None:
    run = _calma(args, tmp_path, **env)
    assert run.returncode == 2, run.stderr
    assert said in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_a_port_already_taken_is_named_not_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = _calma(["teams", "--port", str(port)], tmp_path)
    assert run.returncode == 2
    assert f"calma: cannot listen on 127.0.0.1:{port}: address already in use" in run.stderr
    assert "Traceback" not in run.stderr


async def test_port_0_listens_on_a_free_port_and_says_which(tmp_path: Path) -> None:
    out = tmp_path / "calma.out"
    proc = spawn_calma(["teams", "--port", "0"], calma_env(CALMA_DB="calma.db"), out, tmp_path)
    try:
        await ready(proc, out)
        port = listening_port(out.read_text())
        assert port is not None and port > 0
        async with ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as r:
            assert r.status == 200  # the port it named is the one it serves
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
