"""The real Slack door on a real localhost port, pointed at the Web API stand-in.

Tests send signed HTTP requests (events, slash commands, interactions) and read what the door
called on the stand-in. Nothing of Calma's own is mocked.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from adapters.slack.door import SlackDoor, slack_door
from app.runtime import PRUNE_EVERY_SECONDS, Runtime
from bot.config import Settings
from bot.ports import Clock
from tests.adapters.slack.fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack
from tests.adapters.slack.signing import FORM, forged_headers, signed_headers

SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-calma"
APP_TOKEN = "xapp-1-A0CALMA-test"
AGENT, LEAD, CHANNEL = "U0AGENTE", "U0LIDER", "C0SOPORTE"
CLIENT_ID, CLIENT_SECRET = "111.222", "oauth-client-secret"  # the multi-workspace app
_ids = itertools.count(1)
_ts = itertools.count(1)


def settings_for(fake: FakeSlack, db: Path, **extra: Any) -> Settings:
    """Settings as `calma slack --http` would read them, aimed at the stand-in."""
    values: dict[str, Any] = {
        "db": str(db),
        "tz": "America/Mexico_City",
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SECRET,
        "slack_app_token": APP_TOKEN,
        "slack_api_url": fake.base_url,
    }
    values.update(extra)
    return Settings(**values)


def message_event(
    text: str,
    *,
    user: str = AGENT,
    channel: str = CHANNEL,
    event_id: str | None = None,
    ts: str | None = None,
    **event: Any,
) -> dict[str, Any]:
    """An Events API envelope of a `message` event, as Slack posts it."""
    ts = ts or f"{int(time.time())}.{next(_ts):06d}"
    return {
        "token": "x",
        "team_id": TEAM_ID,
        "api_app_id": "A0CALMA",
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):010d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        "event": {
            "type": "message",
            "user": user,
            "text": text,
            "ts": ts,
            "team": TEAM_ID,
            "channel": channel,
            "channel_type": "channel",
            "event_ts": ts,
            **event,
        },
    }


def command_fields(text: str, *, user: str = AGENT, response_url: str = "") -> dict[str, str]:
    """The form fields of a `/coach` slash command."""
    return {
        "token": "x",
        "team_id": TEAM_ID,
        "team_domain": "calma-test",
        "channel_id": CHANNEL,
        "channel_name": "soporte",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/coach",
        "text": text,
        "api_app_id": "A0CALMA",
        "response_url": response_url,
        "trigger_id": f"trigger.{next(_ids)}",
    }


@dataclass
class Reply:
    status: int
    text: str
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


@dataclass
class SlackApp:
    """A running door: `url`, the stand-in `fake`, the `runtime` (service, store)."""

    fake: FakeSlack
    runtime: Runtime
    door: SlackDoor
    url: str
    session: aiohttp.ClientSession
    runner: web.AppRunner
    sent: list[Reply] = field(default_factory=list)

    async def post(self, body: str, headers: dict[str, str]) -> Reply:
        started = time.perf_counter()
        async with self.session.post(f"{self.url}/slack/events", data=body, headers=headers) as r:
            reply = Reply(r.status, await r.text(), time.perf_counter() - started)
        self.sent.append(reply)
        return reply

    async def event(self, envelope: dict[str, Any], **headers: str) -> Reply:
        for message in (envelope.get("event"), (envelope.get("event") or {}).get("message")):
            if isinstance(message, dict) and isinstance(message.get("text"), str):
                self.fake.agent_texts.append(message["text"])
        body = json.dumps(envelope)
        return await self.post(body, {**signed_headers(body, SECRET), **headers})

    async def forged_event(self, envelope: dict[str, Any]) -> Reply:
        body = json.dumps(envelope)
        return await self.post(body, forged_headers(body))

    async def command(self, text: str, **kw: Any) -> Reply:
        kw.setdefault("response_url", self.fake.response_url("cmd"))
        from urllib.parse import urlencode

        body = urlencode(command_fields(text, **kw))
        return await self.post(body, signed_headers(body, SECRET, content_type=FORM))

    async def interaction(self, payload: dict[str, Any]) -> Reply:
        from urllib.parse import urlencode

        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, signed_headers(body, SECRET, content_type=FORM))

    async def close(self) -> None:
        await self.session.close()
        await self.runner.cleanup()
        await self.runtime.stop()


async def start_app(
    fake: FakeSlack,
    db: Path,
    *,
    clock: Clock | None = None,
    prune_every: float = PRUNE_EVERY_SECONDS,
    **extra: Any,
) -> SlackApp:
    """The Runtime with the Slack door (HTTP mode) serving on a free localhost port."""
    runtime = Runtime(settings_for(fake, db, **extra), clock, prune_every=prune_every)
    door = runtime.open(slack_door(http=True))
    assert isinstance(door, SlackDoor)
    runner = web.AppRunner(runtime.web_app(), access_log=None)
    await runner.setup()
    await runtime.site(runner, "127.0.0.1", 0).start()  # as `serve`: the lane in front
    host, port = runner.addresses[0][:2]
    await runtime.start()
    session = aiohttp.ClientSession()
    return SlackApp(fake, runtime, door, f"http://{host}:{port}", session, runner)


async def start_oauth_app(fake_slack: FakeSlack, db: Path) -> SlackApp:
    """The door in multi-workspace mode (no SLACK_BOT_TOKEN; client id and secret set)."""
    fake_slack.oauth_apps[CLIENT_ID] = CLIENT_SECRET
    return await start_app(
        fake_slack,
        db,
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
    )
