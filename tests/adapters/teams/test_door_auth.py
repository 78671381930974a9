"""The door with credentials set: botbuilder checks tokens, and bad bearers get a JSON 401."""

from __future__ import annotations

import logging

import jwt
import pytest

from tests.adapters.teams.door_kit import channel_line, start_bot

APP_ID = "8d3e6f7a-1b2c-4d5e-9f80-a1b2c3d4e5f6"
PASSWORD = "not-a-real-secret-but-must-not-be-logged"


@pytest.fixture
async def guarded(tmp_path, connector):
    running = await start_bot(tmp_path / "calma.db", connector, app_id=APP_ID, password=PASSWORD)
    yield running
    await running.stop()


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (None, "missing bearer token"),
        ("not.a.jwt", "malformed bearer token"),
        ("abc", "malformed bearer token"),
    ],
)
async def test_missing_or_malformed_bearer_gets_401_and_nothing_happens(
    guarded, connector, token, reason
):
    activity = channel_line(connector, "Usted debería haber leído el correo.")
    status, body = await guarded.post(activity, token=token)
    assert status == 401
    assert body == {"error": "unauthorized", "message": reason}
    assert connector.calls == []
    assert guarded.store.mark_seen("teams", activity["id"])  # never recorded as handled


async def test_forged_token_is_refused_with_401(guarded, connector):
    forged = jwt.encode({"iss": "https://evil.example", "aud": APP_ID}, "k" * 32, "HS256")
    status, body = await guarded.post(channel_line(connector, "hola"), token=forged)
    assert status == 401
    assert body["error"] == "unauthorized"
    assert connector.calls == []


async def test_auth_on_says_nothing_about_auth_off_nor_the_password(tmp_path, connector, caplog):
    caplog.set_level(logging.DEBUG)
    running = await start_bot(tmp_path / "calma.db", connector, app_id=APP_ID, password=PASSWORD)
    try:
        await running.post(channel_line(connector, "hola"), token="x.y.z")
    finally:
        await running.stop()
    assert "authentication is off" not in caplog.text
    assert PASSWORD not in caplog.text


async def test_no_app_id_turns_auth_off_with_a_warning(tmp_path, connector, caplog):
    running = await start_bot(tmp_path / "calma.db", connector)
    try:
        status, _ = await running.post(channel_line(connector, "hola"))
    finally:
        await running.stop()
    assert status == 201
    assert "authentication is off" in caplog.text
