"""Privacy: nothing people write reaches a channel, and the app password never reaches a log.

The `connector` fixture checks every stand-in for leaked wording at teardown, and a session
fixture checks all of them at the end (conftest.py); these tests show the check has teeth.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

from tests.adapters.procs import free_port
from tests.adapters.teams.connector import post_activity
from tests.adapters.teams.door_kit import card_of, channel_line, fresh, start_bot, texts_of
from tests.adapters.teams.test_teams_process import ROOT

JUDGEMENT = "Usted debería haber leído el correo que le enviamos."
PROMISE = "Le llamo mañana a las 10 para confirmarlo."
PASSWORD = "s3cr3t~Teams_pw-never-logged"


@pytest.fixture
async def bot(tmp_path, connector):
    running = await start_bot(tmp_path / "calma.db", connector)
    yield running
    await running.stop()


async def test_the_audit_sees_wording_where_it_is_allowed_and_none_in_the_channel(bot, connector):
    draft = fresh("channel_mention_command", connector, text=f"<at>Coach</at> revisar {JUDGEMENT}")
    await bot.post(draft)
    channel = draft["conversation"]["id"]
    assert connector.sent(channel)  # the thread did get an answer: "answered privately"
    assert connector.leaks() == []
    assert any("debería haber leído" in leak for leak in connector.leaks("a:"))  # the 1:1 chat


@pytest.mark.parametrize(
    "text",
    [
        f"<at>Coach</at> revisar {JUDGEMENT}",
        f"/coach revisar {PROMISE}",
        "<at>Coach</at> ayuda",
        "<at>Coach</at> consejos",
        "<at>Coach</at> mis estadísticas",
        "<at>Coach</at> equipo",
        "<at>Coach</at> silenciar 1h",
        f"<at>Coach</at> {JUDGEMENT}",
    ],
)
async def test_no_command_typed_in_a_channel_puts_anyones_wording_there(bot, connector, text):
    await bot.post(channel_line(connector, JUDGEMENT))
    await bot.post(channel_line(connector, PROMISE))
    command = fresh("channel_mention_command", connector, text=text)
    assert (await bot.post(command))[0] == 201
    assert connector.sent()  # something was answered somewhere
    for activity in connector.sent(command["conversation"]["id"]):
        said = texts_of(card_of(activity))
        assert "leído el correo" not in said and "para confirmarlo" not in said
    assert connector.leaks() == []


async def test_card_presses_and_lines_in_a_channel_never_post_there(bot, connector):
    await bot.post(channel_line(connector, f"{JUDGEMENT} {PROMISE}"))
    [nudge, _ack] = connector.sent("a:conv-1")
    for data in [a["data"] for a in card_of(nudge)["actions"] if a["type"] == "Action.Submit"]:
        press = fresh("card_submit", connector, value=data, text=None)  # pressed in a channel
        assert (await bot.post(press))[0] == 201
    assert not [c for c in connector.calls if "19:" in c.path]
    assert connector.leaks() == []


async def test_the_app_password_never_reaches_the_process_output(tmp_path, connector):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CALMA_", "Microsoft"))}
    env.update(
        CALMA_DB=str(tmp_path / "calma.db"),
        PYTHONPATH=str(ROOT),
        MicrosoftAppId="8d3e6f7a-1b2c-4d5e-9f80-a1b2c3d4e5f6",
        MicrosoftAppPassword=PASSWORD,
        MicrosoftAppTenantId="4b1e2c3d-5f60-4a7b-8c9d-0e1f2a3b4c5d",
        MicrosoftAppType="SingleTenant",
    )
    out, err = tmp_path / "out", tmp_path / "err"
    with out.open("w") as o, err.open("w") as e:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "teams", "--port", str(port)],
            stdout=o,
            stderr=e,
            env=env,
            cwd=tmp_path,
        )
    try:
        for _ in range(600):
            if "calma: ready" in out.read_text() or proc.poll() is not None:
                break
            await asyncio.sleep(0.05)
        assert "calma: ready" in out.read_text(), err.read_text()
        url = f"http://127.0.0.1:{port}/api/messages"
        for token in (None, "x.y.z", PASSWORD):
            status, _ = await post_activity(url, channel_line(connector, JUDGEMENT), token=token)
            assert status == 401
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    logs = out.read_text() + err.read_text()
    assert "listening on" in logs  # the output was captured
    assert PASSWORD not in logs
    assert connector.calls == []
