"""The Teams door beside another door on one runtime, as `calma serve` opens them."""

from __future__ import annotations

from aiohttp import ClientSession, web

from adapters.teams.door import teams_door
from app.runtime import Runtime
from bot.config import Settings
from bot.model import Card, DirectMessage
from tests.adapters.teams.door_kit import FAST, card_of, channel_line, texts_of
from tests.adapters.teams.payloads import TENANT

AUTHOR_KEY = "6c2a0e4b-7d1f-4e3a-9b8c-5f2d1a0e9c7b"


class OtherDoor:
    """A stand-in for the Slack door: one route, and it records what it is asked to deliver."""

    platform = "slack"

    def __init__(self, service, settings):
        self.delivered = []

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/slack/events", self.events)

    def lanes(self):
        return {}

    async def events(self, request):
        return web.json_response({"door": "slack"})

    async def deliver(self, message):
        self.delivered.append(message)

    async def start(self):
        return None

    async def stop(self):
        return None


async def test_one_port_serves_both_doors_and_reminders_route_by_platform(tmp_path, connector):
    runtime = Runtime(Settings(db=str(tmp_path / "calma.db")))
    other = runtime.open(OtherDoor)
    runtime.open(teams_door(backoff=FAST))
    runner = web.AppRunner(runtime.web_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    await runtime.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        async with ClientSession() as session:
            async with session.post(f"{base}/slack/events", json={}) as r:
                assert (await r.json()) == {"door": "slack"}
            line = channel_line(connector, "Usted debería haber leído el correo.")
            async with session.post(f"{base}/api/messages", json=line) as r:
                assert r.status == 201
        card = Card(title="Recordatorio")
        await runtime.notifier.deliver(DirectMessage("teams", TENANT, AUTHOR_KEY, card))
        await runtime.notifier.deliver(DirectMessage("slack", "T1", "U1", card))
    finally:
        await runner.cleanup()
        await runtime.stop()
    sent = connector.sent("a:conv-1")
    assert [texts_of(card_of(a)).splitlines()[0] for a in sent][-1] == "Recordatorio"
    assert len(sent) == 2  # the nudge, then the reminder
    assert [m.platform for m in other.delivered] == ["slack"]
