import logging
from types import SimpleNamespace

import jwt
import pytest
from aiohttp import ClientSession, web
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from adapters.teams.auth import AUTH_OFF_WARNING, bearer_guard, bearer_problem
from tests.adapters.teams.connector import post_activity
from tests.adapters.teams.payloads import load

APP_ID = "8d3e6f7a-1b2c-4d5e-9f80-a1b2c3d4e5f6"
FORGED = jwt.encode({"iss": "https://evil.example", "aud": APP_ID}, "k" * 32, algorithm="HS256")


async def health(request):
    return web.json_response({"ok": True})


class SilentBot:
    def __init__(self):
        self.turns = 0

    async def on_turn(self, context):
        self.turns += 1


async def serve(app: web.Application):
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages"


@pytest.fixture
async def bot_app():
    """A real CloudAdapter bot on /api/messages; `guarded` adds the middleware."""
    runners = []

    async def start(app_id: str, *, guarded: bool):
        bot = SilentBot()
        config = SimpleNamespace(APP_ID=app_id, APP_PASSWORD="secret" if app_id else "")
        adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))

        async def messages(request):
            return await adapter.process(request, bot)

        app = web.Application(middlewares=[bearer_guard(app_id)] if guarded else [])
        app.router.add_post("/api/messages", messages)
        app.router.add_get("/health", health)
        runner, url = await serve(app)
        runners.append(runner)
        return bot, url

    yield start
    for runner in runners:
        await runner.cleanup()


async def test_botbuilder_alone_answers_500_to_a_malformed_bearer(bot_app):
    """The premise of the guard: without it, jwt.DecodeError escapes as a 500."""
    _, url = await bot_app(APP_ID, guarded=False)
    status, _ = await post_activity(url, load("personal_message"), token="abc")
    assert status == 500


@pytest.mark.parametrize(
    ("token", "reason"),
    [(None, "missing bearer token"), ("abc", "malformed bearer token")],
)
async def test_missing_or_malformed_bearer_gets_a_json_401(bot_app, token, reason):
    bot, url = await bot_app(APP_ID, guarded=True)
    status, body = await post_activity(url, load("personal_message"), token=token)
    assert status == 401
    assert body == {"error": "unauthorized", "message": reason}
    assert bot.turns == 0


async def test_wrong_scheme_gets_a_json_401(bot_app):
    _, url = await bot_app(APP_ID, guarded=True)
    async with (
        ClientSession() as session,
        session.post(url, json=load("personal_message"), headers={"Authorization": "Basic x"}) as r,
    ):
        assert r.status == 401
        assert r.headers["WWW-Authenticate"] == "Bearer"
        assert (await r.json())["message"] == "malformed authorization header"


async def test_well_formed_but_untrusted_token_is_refused_with_json(bot_app):
    """botbuilder refuses a foreign issuer with a bare 401; the guard makes it JSON."""
    bot, url = await bot_app(APP_ID, guarded=True)
    status, body = await post_activity(url, load("personal_message"), token=FORGED)
    assert status == 401
    assert body == {"error": "unauthorized", "message": "invalid bearer token"}
    assert bot.turns == 0


async def test_other_paths_are_not_guarded(bot_app):
    _, url = await bot_app(APP_ID, guarded=True)
    async with (
        ClientSession() as session,
        session.get(url.replace("/api/messages", "/health")) as r,
    ):
        assert r.status == 200


async def test_auth_off_passes_through_and_warns_once(bot_app, caplog, connector):
    caplog.set_level(logging.WARNING, logger="adapters.teams.auth")
    bot, url = await bot_app("", guarded=True)
    activity = {**load("installation_update"), "serviceUrl": connector.url}
    for _ in range(2):
        status, _ = await post_activity(url, activity)
        assert status in (200, 201)
    assert bot.turns == 2
    warnings = [r.getMessage() for r in caplog.records if r.name == "adapters.teams.auth"]
    assert warnings == [AUTH_OFF_WARNING]
    assert "Emulator" in AUTH_OFF_WARNING


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (None, "missing bearer token"),
        ("", "missing bearer token"),
        ("Bearer", "malformed authorization header"),
        ("bearer " + FORGED, "malformed authorization header"),
        ("Bearer a b", "malformed authorization header"),
        ("Bearer a.b.c", "malformed bearer token"),
        ("Bearer " + FORGED, None),
    ],
)
def test_bearer_problem(header, problem):
    assert bearer_problem(header) == problem
