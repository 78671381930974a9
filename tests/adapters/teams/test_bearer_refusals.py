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


async def test_400_random_bearers_are_all_refused_with_401(key_set, guarded, connector) -> None:
    """Seeded bearers of every shape: garbage, JWTs with any alg, kid and claims. Never a 5xx."""
    import base64
    import random

    rng = random.Random(11)

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    def bearer() -> str:
        roll = rng.random()
        if roll < 0.2:
            return "".join(rng.choice("abc.-_=+/ 0") for _ in range(rng.randint(0, 60)))
        header: dict[str, Any] = {"alg": rng.choice(["RS256", "HS256", "none", "ES256", "", 5])}
        if rng.random() < 0.7:
            header["kid"] = rng.choice(["k1", "zz", "", None, 7, ["k1"]])
        body = claims(
            iss=rng.choice([ISSUER, "https://evil.example", None, 5]),
            aud=rng.choice([APP_ID, "other", None, [APP_ID]]),
            exp=rng.choice([int(time.time()) + 600, int(time.time()) - 600, "soon", None]),
        )
        if rng.random() < 0.5:  # signed by the known key: wrong issuer, audience or expiry
            signed = claims(
                iss=rng.choice([ISSUER, "https://evil.example"]),
                aud=rng.choice([APP_ID, "other"]),
                exp=rng.choice([int(time.time()) + 600, int(time.time()) - 600]),
            )
            if signed["iss"] == ISSUER and signed["aud"] == APP_ID and signed["exp"] > time.time():
                signed["aud"] = "other"  # never a token that would verify
            return jwt.encode(signed, KNOWN, "RS256", headers={"kid": rng.choice(["k1", "zz"])})
        parts = [json.dumps(header).encode(), json.dumps(body).encode(), rng.randbytes(32)]
        return ".".join(b64(p) for p in parts)

    statuses = set()
    for _ in range(400):
        activity = channel_line(connector, "hola")
        status, _ = await guarded.post(activity, token=bearer(), settle=False)
        statuses.add(status)
    assert statuses <= {401}, statuses
    assert connector.calls == []


@pytest.fixture
def silent_identity() -> Any:
    """An identity service that accepts connections and says nothing (closes each after 3 s)."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        held: list[tuple[socket.socket, float]] = []
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append((conn, time.monotonic() + 3.0))
            except TimeoutError:
                pass
            for conn, until in [h for h in held if h[1] < time.monotonic()]:
                conn.close()
                held.remove((conn, until))
        for conn, _ in held:
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/.well-known/openidconfiguration"
    stop.set()
    thread.join(5)
    server.close()


async def test_a_silent_identity_service_does_not_freeze_the_doors(
    monkeypatch: pytest.MonkeyPatch,
    silent_identity: str,
    guarded,
    connector,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """botbuilder fetched the keys with a blocking `requests.get` and no timeout on the loop."""
    import asyncio

    import aiohttp

    from adapters.teams import auth

    monkeypatch.setattr(auth, "IDENTITY_TIMEOUT", 1.0)
    monkeypatch.setattr(
        jwt_token_extractor.JwtTokenExtractor,
        "get_open_id_metadata",
        staticmethod(lambda url: identity(silent_identity, [])),
    )
    token = jwt.encode(claims(), KNOWN, "RS256", headers={"kid": "k1"})
    with caplog.at_level(logging.WARNING):
        posting = asyncio.create_task(guarded.post(channel_line(connector, "hola"), token=token))
        started = time.perf_counter()
        await asyncio.sleep(0.2)  # the key fetch is under way
        base = guarded.url.rsplit("/api/", 1)[0]
        async with aiohttp.ClientSession() as session, session.get(f"{base}/healthz") as answer:
            assert answer.status == 200
        assert time.perf_counter() - started < 0.9  # the loop was free meanwhile
        status, body = await posting
    assert status == 401 and body["error"] == "unauthorized"
    assert "identity service unreachable (ReadTimeout)" in caplog.text
