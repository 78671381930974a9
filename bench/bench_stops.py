"""Follow one incoming Slack message to its ephemeral nudge and count the stops on the way.

A signed `message` event goes over real HTTP into the running Slack door (the test harness, with
the local Slack stand-in); from the request to the `chat.postEphemeral` call every Python call in
Calma's own rooms (`coaching`, `bot`, `adapters`, `app`) is recorded with the Calma function that
made it (library frames in between, Bolt, aiohttp or SQLite, are looked through). A *stop* is a
call from one module into another; a stop *goes back up* when it calls a room that the imports
point away from (bot → adapters, coaching → bot: a callback). Calls within one module are free.

    .venv/bin/python -m bench.bench_stops          # the summary
    .venv/bin/python -m bench.bench_stops --path   # and every stop, in order
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ("coaching", "bot", "adapters", "app")
JUDGEMENTAL = "Usted debería haber leído el correo que le enviamos"


def _module_of(frame: FrameType) -> str | None:
    """`bot.service.core` for a frame of Calma's own code; None for anything else."""
    try:
        relative = Path(frame.f_code.co_filename).resolve().relative_to(ROOT)
    except ValueError:
        return None
    if relative.parts[0] not in ROOMS:
        return None
    return ".".join(relative.with_suffix("").parts)


class Recorder:
    """Every call into Calma's code with the Calma module it came from, while it is on."""

    def __init__(self) -> None:
        self.hops: list[tuple[str | None, str]] = []  # (calling module, called module)
        self.on = False

    def __call__(self, frame: FrameType, event: str, _arg: Any) -> None:
        if not self.on or event != "call" or (module := _module_of(frame)) is None:
            return
        caller = frame.f_back
        while caller is not None and _module_of(caller) is None:
            caller = caller.f_back
        self.hops.append((None if caller is None else _module_of(caller), module))

    def start(self) -> None:
        self.on = True
        threading.setprofile(self)
        sys.setprofile(self)

    def stop(self) -> None:
        self.on = False
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]


def room(module: str) -> str:
    return module.split(".")[0]


def stops(hops: list[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
    """The calls from one module into another (the first call of a task has no caller)."""
    return [(a, b) for a, b in hops if a != b]


def up(hop: tuple[str | None, str]) -> bool:
    """A call against the imports' direction (app → adapters → bot → coaching)."""
    caller, called = hop
    return caller is not None and ROOMS.index(room(called)) > ROOMS.index(room(caller))


async def follow(path_too: bool) -> None:
    from tests.adapters.slack.fake_slack import FakeSlack
    from tests.adapters.slack.harness import message_event, start_app

    with FakeSlack() as fake, tempfile.TemporaryDirectory() as folder:
        app = await start_app(fake, Path(folder) / "calma.db")
        try:
            await app.event(message_event(JUDGEMENTAL, user="U0WARM"))  # imports, caches, users
            await fake.calls_eventually("chat.postEphemeral")
            recorder = Recorder()
            recorder.start()
            await app.event(message_event(JUDGEMENTAL))
            await fake.calls_eventually("chat.postEphemeral", 2)
            recorder.stop()
        finally:
            await app.close()
    path = stops(recorder.hops)
    modules = {m for hop in path for m in hop if m is not None}
    print(f"calls into Calma's code: {len(recorder.hops)}")
    print(f"stops (calls into another module): {len(path)} across {len(modules)} modules")
    print(f"of them going back up (a lower room calling a higher one): {sum(map(up, path))}")
    crossings = [(a, b) for a, b in path if a is not None and room(a) != room(b)]
    print(f"calls between rooms: {len(crossings)}")
    if path_too:
        print("\n".join(f"{a} -> {b}{'  (up)' if up((a, b)) else ''}" for a, b in path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", action="store_true", help="print every stop")
    asyncio.run(follow(parser.parse_args().path))


if __name__ == "__main__":
    main()
