"""Issue 11: with auth on, any bearer botbuilder cannot verify gets 401 and a log line saying why.

botbuilder raised IndexError for a token with no `kid` or an unknown one, a bare Exception for
HS256, and anything at all with the identity service unreachable: each was a 500. The identity
service is faked at the platform edge (its key set, or a closed port); the door is real, over HTTP.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime
from typing import Any

import jwt
import pytest
from botframework.connector.auth import jwt_token_extractor
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.adapters.procs import free_port
from tests.adapters.teams.door_kit import channel_line, start_bot

APP_ID = "8d3e6f7a-1b2c-4d5e-9f80-a1b2c3d4e5f6"
ISSUER = "https://api.botframework.com"
KNOWN = rsa.generate_private_key(public_exponent=65537, key_size=2048)
STRANGER = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def claims(**extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": ISSUER, "aud": APP_ID, "nbf": now - 60, "exp": now + 600, **extra}


def identity(url: str, keys: list[dict[str, Any]]) -> Any:
    """botbuilder's OpenID metadata object, holding `keys` (or refreshing from `url` when empty)."""
    metadata = jwt_token_extractor._OpenIdMetadata(url)
    if keys:
        metadata.keys = keys
        metadata.last_updated = datetime.now()
    return metadata


@pytest.fixture
def key_set(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The identity service's published keys: KNOWN under kid "k1", endorsed for msteams."""
    jwk = json.loads(RSAAlgorithm.to_jwk(KNOWN.public_key()))
    keys = [{**jwk, "kid": "k1", "endorsements": ["msteams"]}]
    monkeypatch.setattr(
        jwt_token_extractor.JwtTokenExtractor,
        "get_open_id_metadata",
        staticmethod(lambda url: identity(url, keys)),
    )
    return keys


@pytest.fixture
async def guarded(tmp_path, connector):
    running = await start_bot(tmp_path / "calma.db", connector, app_id=APP_ID, password="pw")
    yield running
    await running.stop()


TOKENS = {
    "no-kid": lambda: jwt.encode(claims(), KNOWN, "RS256"),
    "unknown-kid": lambda: jwt.encode(claims(), STRANGER, "RS256", headers={"kid": "zz"}),
    "alg-none": lambda: jwt.encode(claims(), None, "none"),
    "hs256": lambda: jwt.encode(claims(), "k" * 32, "HS256", headers={"kid": "k1"}),
    "expired": lambda: jwt.encode(
        claims(exp=int(time.time()) - 3600, nbf=int(time.time()) - 7200),
        KNOWN,
        "RS256",
        headers={"kid": "k1"},
    ),
    "wrong-key": lambda: jwt.encode(claims(), STRANGER, "RS256", headers={"kid": "k1"}),
}


@pytest.mark.parametrize("kind", sorted(TOKENS))
async def test_a_token_that_cannot_be_verified_gets_401_and_a_reason(
    key_set, guarded, connector, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    activity = channel_line(connector, "Usted debería haber leído el correo.")
    with caplog.at_level(logging.WARNING):
        status, body = await guarded.post(activity, token=TOKENS[kind]())
    assert status == 401, body
    assert body["error"] == "unauthorized"
    assert "refused a bearer token: " in caplog.text or "malformed bearer" in body["message"]
    assert "Traceback" not in caplog.text
    assert connector.calls == []


async def test_the_identity_service_unreachable_is_a_401_saying_so(
    monkeypatch: pytest.MonkeyPatch, guarded, connector, caplog: pytest.LogCaptureFixture
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/.well-known/openidconfiguration"
    monkeypatch.setattr(
        jwt_token_extractor.JwtTokenExtractor,
        "get_open_id_metadata",
        staticmethod(lambda url: identity(closed, [])),
    )
    token = jwt.encode(claims(), KNOWN, "RS256", headers={"kid": "k1"})
    with caplog.at_level(logging.WARNING):
        status, body = await guarded.post(channel_line(connector, "hola"), token=token)
    assert status == 401 and body["error"] == "unauthorized"
    assert "identity service unreachable" in caplog.text
    assert "Traceback" not in caplog.text


async def test_auth_off_refuses_lone_surrogates_and_deep_bodies_with_400(tmp_path, connector):
    running = await start_bot(tmp_path / "calma.db", connector)
    try:
        activity = channel_line(connector, "hola")
        activity["channelData"]["tenant"] = {"id": "\ud800"}
        status, body = await running.post(activity)
        assert status == 400 and "surrogate" in body["message"]
        import aiohttp

        deep = "[" * 5000 + "]" * 5000
        async with (
            aiohttp.ClientSession() as session,
            session.post(running.url, data=deep, headers={"Content-Type": "application/json"}) as r,
        ):
            assert r.status == 400
    finally:
        await running.stop()
