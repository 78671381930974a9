"""`calma serve` as a real process: Slack (HTTP) and Teams on one port, one loop, one database.

A signed Slack event and a Bot Framework activity reach the same process; each door answers on its
own platform's stand-in (an ephemeral at the Slack Web API, a new 1:1 chat at the Bot Connector),
nothing about the wording reaches a channel, and SIGTERM ends it cleanly.
"""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

from aiohttp import ClientSession

from bot.store import SqliteStore
from tests.adapters.procs import calma_env, free_port, ready, spawn_calma, until
from tests.adapters.slack.fake_slack import TEAM_ID, FakeSlack
from tests.adapters.slack.harness import AGENT, BOT_TOKEN, SECRET, message_event
from tests.adapters.slack.privacy import public_leaks
from tests.adapters.slack.signing import signed_headers
from tests.adapters.teams.connector import BotConnector, post_activity
from tests.adapters.teams.door_kit import card_of, channel_line, texts_of

LINE = "Usted debería haber leído el correo que le enviamos"


async def test_serve_runs_slack_and_teams_in_one_process(tmp_path: Path) -> None:
    connector = BotConnector()
    await connector.start()
    with FakeSlack() as slack:
        port = free_port()
        env = calma_env(
            CALMA_DB=str(tmp_path / "calma.db"),
            CALMA_TZ="UTC",
            SLACK_API_URL=slack.base_url,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_BOT_TOKEN=BOT_TOKEN,
        )
        seeded = SqliteStore(tmp_path / "calma.db")  # a lead of the Slack team chose a zone
        seeded.ensure_workspace("slack", TEAM_ID, default_tz="Europe/Madrid")
        seeded.close()
        out = tmp_path / "serve.out"
        proc = spawn_calma(["serve", "--port", str(port)], env, out, tmp_path)
        try:
            await ready(proc, out)
            zone_lines = [
                line for line in out.read_text().splitlines() if line.startswith("calma: Zona")
            ]
            assert zone_lines == [  # one start-up line: the flag does not apply there
                f"calma: Zona horaria fijada por un líder con /coach ajustes ({TEAM_ID}:"
                " Europe/Madrid): la suya gana; CALMA_TZ o --tz (UTC) no la cambia."
            ]
            base = f"http://127.0.0.1:{port}"

            body = json.dumps(message_event(LINE))
            async with (
                ClientSession() as session,
                session.post(
                    f"{base}/slack/events", data=body, headers=signed_headers(body, SECRET)
                ) as answer,
            ):
                assert answer.status == 200
            await until(lambda: len(slack.calls_to("chat.postEphemeral")) == 1)
            [nudge] = slack.calls_to("chat.postEphemeral")
            assert nudge.params["user"] == AGENT
            assert "debería haber leído" in json.dumps(nudge.params, ensure_ascii=False)

            status, _ = await post_activity(f"{base}/api/messages", channel_line(connector, LINE))
            assert status == 201
            await until(lambda: len(connector.sent()) == 1)
            [private] = connector.sent()
            assert "debería haber leído" in texts_of(card_of(private))
            assert private["conversation"]["id"] != "" and not str(
                private["conversation"]["id"]
            ).startswith("19:")

            async with ClientSession() as session, session.get(f"{base}/healthz") as health:
                assert health.status == 200 and (await health.json()) == {
                    "ok": True,
                    "database": {"read": True, "write": True},
                    "slack": {"connected": True},
                }

            proc.send_signal(signal.SIGTERM)
            assert await asyncio.to_thread(proc.wait, 20) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
            await connector.stop()
        assert len(slack.calls_to("chat.postEphemeral")) == 1  # one nudge each, no more
        assert len(connector.sent()) == 1
        assert public_leaks(slack) == []
        assert connector.leaks() == []
        assert "Traceback" not in out.read_text()
