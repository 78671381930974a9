"""The real Teams door on the runtime's aiohttp app, on an ephemeral port, beside the stand-in."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web

from adapters.teams.door import TeamsDoor, teams_door
from adapters.teams.retry import Backoff
from app.runtime import Runtime
from bot.config import Settings
from bot.ports import Clock
from tests.adapters.teams.connector import BotConnector, post_activity
from tests.adapters.teams.payloads import load

FAST = Backoff(attempts=4, base=0.01, cap=0.05)
_ids = itertools.count(1)


@dataclass
class RunningBot:
    runtime: Runtime
    runner: web.AppRunner
    url: str
    connector: BotConnector

    @property
    def store(self):
        return self.runtime.store

    @property
    def door(self) -> TeamsDoor:
        [door] = self.runtime.doors
        assert isinstance(door, TeamsDoor)
        return door

    async def settle(self) -> None:
        """Wait until the sends queued after HTTP answers have gone out."""
        while self.runtime.service.inbox.busy or self.runtime.service.outbox.busy:
            await self.runtime.service.inbox.idle()
            await self.runtime.service.outbox.idle()

    async def post(
        self, activity: dict[str, Any], token: str | None = None, *, settle: bool = True
    ) -> tuple[int, Any]:
        """POST over HTTP; by default also wait for the sends it queued."""
        answer = await post_activity(self.url, activity, token=token)
        if settle:
            await self.settle()
        return answer

    async def stop(self) -> None:
        await self.runner.cleanup()
        await self.runtime.stop()


async def start_bot(
    db: Path,
    connector: BotConnector,
    *,
    app_id: str | None = None,
    password: str | None = None,
    tz: str = "UTC",
    backoff: Backoff = FAST,
    stop_grace: float = 5.0,
    clock: Clock | None = None,
) -> RunningBot:
    """Runtime + Teams door + aiohttp server on 127.0.0.1:0; reminders armed."""
    settings = Settings(db=str(db), tz=tz, ms_app_id=app_id, ms_app_password=password)
    runtime = Runtime(settings, clock)
    runtime.open(teams_door(backoff=backoff, stop_grace=stop_grace))
    runner = web.AppRunner(runtime.web_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    await runtime.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages"
    return RunningBot(runtime, runner, url, connector)


def fresh(name: str, connector: BotConnector, **overrides: Any) -> dict[str, Any]:
    """A recorded activity with a new id, the current time, and serviceUrl at the stand-in."""
    activity = load(name, **overrides)
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    activity["timestamp"] = now
    activity.pop("localTimestamp", None)
    if "id" not in overrides:
        activity["id"] = f"{activity.get('id', 'act')}-{next(_ids)}"
    activity["serviceUrl"] = connector.url
    return activity


def channel_line(connector: BotConnector, text: str, **overrides: Any) -> dict[str, Any]:
    """An agent's line in a support channel (RSC: no mention, no entities but clientInfo)."""
    activity = fresh("channel_message_rsc", connector, text=text, **overrides)
    activity["entities"] = [e for e in activity["entities"] if e["type"] == "clientInfo"]
    activity.pop("attachments", None)
    return activity


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    """The Adaptive Card content of a sent activity."""
    [attachment] = activity["attachments"]
    content: dict[str, Any] = attachment["content"]
    return content


def texts_of(card: dict[str, Any]) -> str:
    """Every TextBlock and TextRun of a card, one string."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("TextBlock", "TextRun"):
                out.append(str(node.get("text", "")).replace("\\", ""))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return "\n".join(out)


def submits(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The card's Action.Submit data by action name."""
    return {
        a["data"]["action"]: a["data"]
        for a in card.get("actions", [])
        if a["type"] == "Action.Submit"
    }
