"""The lean HTTP/1.1 client of the Web API calls, against a raw server that answers as scripted:
kept connections, the three ways a body ends, `Connection: close`, a kept connection the server
dropped, the deadline, and TLS."""

from __future__ import annotations

import asyncio
import datetime
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from adapters.slack import http11
from adapters.slack.http11 import HttpError, Origin

Script = Callable[[int, bytes], bytes | None]  # (request number, request) → raw answer


def answer(body: bytes = b'{"ok":true}', *extra: str) -> bytes:
    head = ["HTTP/1.1 200 OK", f"Content-Length: {len(body)}", *extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class Server:
    """A raw HTTP/1.1 server: each request read whole, each answer what `script` returns (None:
    the connection is closed without one)."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.connections = 0
        self.requests: list[bytes] = []
        self.server: asyncio.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []
        self.close_after = False  # each answer ends with the connection

    async def start(self, tls: ssl.SSLContext | None = None) -> str:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=tls)
        port = self.server.sockets[0].getsockname()[1]
        return f"{'https' if tls else 'http'}://localhost:{port}/api/"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.writers.append(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.decode().split("\r\n"):
                    if line.lower().startswith("content-length:"):
                        length = int(line.split(":", 1)[1])
                request = head + await reader.readexactly(length)
                self.requests.append(request)
                raw = self.script(len(self.requests), request)
                if raw is None:
                    break
                writer.write(raw)
                await writer.drain()
                if self.close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def drop_connections(self) -> None:
        for writer in self.writers:
            writer.close()

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        self.drop_connections()
        await self.server.wait_closed()


Start = Callable[[Script], Awaitable[tuple[Server, Origin]]]


@pytest.fixture
async def serve() -> AsyncIterator[Start]:
    started: list[tuple[Server, Origin]] = []

    async def start(script: Script) -> tuple[Server, Origin]:
        server = Server(script)
        origin = Origin(await server.start())
        started.append((server, origin))
        return server, origin

    yield start
    for server, origin in started:
        origin.close()
        await server.stop()


async def test_calls_share_one_kept_connection_and_send_what_was_asked(serve: Start) -> None:
    server, origin = await serve(lambda n, _: answer(f'{{"ok":true,"n":{n}}}'.encode()))
    first = await origin.request(
        "POST", "chat.postEphemeral", {"Content-Type": "application/json"}, b'{"a":1}', timeout=5
    )
    second = await origin.request("GET", "users.info?user=U1", {}, timeout=5)
    assert (first.status, first.body, second.body) == (
        200,
        b'{"ok":true,"n":1}',
        b'{"ok":true,"n":2}',
    )
    assert server.connections == 1
    post, get = server.requests
    assert post.startswith(b"POST /api/chat.postEphemeral HTTP/1.1\r\n")
    assert b"\r\nContent-Type: application/json\r\n" in post
    assert b"\r\nContent-Length: 7\r\n" in post and post.endswith(b'\r\n\r\n{"a":1}')
    assert get.startswith(b"GET /api/users.info?user=U1 HTTP/1.1\r\n")
    assert f"\r\nHost: localhost:{origin.port}\r\n".encode() in get


async def test_a_chunked_answer_is_read_whole(serve: Start) -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nRetry-After: 3\r\n\r\n"
        b'5\r\n{"ok"\r\n6;ext=1\r\n:true}\r\n0\r\n\r\n'
    )
    server, origin = await serve(lambda n, _: chunked)
    got = await origin.request("GET", "users.info", {}, timeout=5)
    again = await origin.request("GET", "users.info", {}, timeout=5)
    assert (got.body, got.headers["retry-after"], again.body) == (
        b'{"ok":true}',
        "3",
        b'{"ok":true}',
    )
    assert server.connections == 1


async def test_an_answer_without_a_length_ends_with_the_connection(serve: Start) -> None:
    server, origin = await serve(lambda n, _: b"HTTP/1.1 500 Oops\r\n\r\nplain words")
    server.close_after = True
    first = await origin.request("GET", "users.info", {}, timeout=5)
    second = await origin.request("GET", "users.info", {}, timeout=5)
    assert (first.status, first.body, second.body) == (500, b"plain words", b"plain words")
    assert server.connections == 2


async def test_connection_close_is_honoured(serve: Start) -> None:
    server, origin = await serve(lambda n, _: answer(b"{}", "Connection: close"))
    for _ in range(3):
        assert (await origin.request("GET", "users.info", {}, timeout=5)).body == b"{}"
    assert server.connections == 3


async def test_a_read_on_a_connection_the_server_dropped_is_asked_again_once(serve: Start) -> None:
    server, origin = await serve(lambda n, _: answer())
    await origin.request("GET", "users.info", {}, timeout=5)
    server.drop_connections()  # the server's keep-alive ran out while the connection was idle
    await asyncio.sleep(0.05)
    assert (await origin.request("GET", "users.info", {}, timeout=5)).status == 200
    assert server.connections == 2


async def test_a_post_on_a_dropped_connection_is_not_sent_twice(serve: Start) -> None:
    server, origin = await serve(lambda n, _: answer() if n == 1 else None)
    await origin.request("POST", "chat.postEphemeral", {}, b"{}", timeout=5)
    with pytest.raises(HttpError):  # the outbox tries it again later; no blind resend here
        await origin.request("POST", "chat.postEphemeral", {}, b"{}", timeout=5)
    assert len(server.requests) == 2


async def test_an_idle_connection_past_the_keep_alive_is_not_reused(
    serve: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http11, "KEEP_IDLE_SECONDS", 0.0)
    server, origin = await serve(lambda n, _: answer())
    await origin.request("GET", "users.info", {}, timeout=5)
    await origin.request("GET", "users.info", {}, timeout=5)
    assert server.connections == 2


async def test_the_deadline_covers_the_whole_call(serve: Start) -> None:
    server, origin = await serve(lambda n, _: b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{")
    with pytest.raises(TimeoutError):
        await origin.request("GET", "users.info", {}, timeout=0.2)
    assert server.requests


async def test_a_refused_connection_is_an_http_error() -> None:
    origin = Origin("http://127.0.0.1:1/api/")
    with pytest.raises(HttpError):
        await origin.request("GET", "users.info", {}, timeout=5)


async def test_a_garbled_answer_is_an_http_error(serve: Start) -> None:
    _server, origin = await serve(lambda n, _: b"SMTP ready\r\n\r\n")
    with pytest.raises(HttpError):
        await origin.request("GET", "users.info", {}, timeout=5)


async def test_https_verifies_the_server(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    server = Server(lambda n, _: answer())
    url = await server.start(tls)
    try:
        trusting = Origin(url, ssl_context=ssl.create_default_context(cafile=str(cert)))
        assert (await trusting.request("GET", "users.info", {}, timeout=5)).status == 200
        trusting.close()
        stranger = Origin(url)  # the system's authorities do not know this certificate
        with pytest.raises(HttpError):
            await stranger.request("GET", "users.info", {}, timeout=5)
        stranger.close()
    finally:
        await server.stop()


def test_calls_work_on_uvloop_the_doors_loop() -> None:
    uvloop = pytest.importorskip("uvloop")

    async def call() -> tuple[int, int]:
        server = Server(lambda n, _: answer())
        origin = Origin(await server.start())
        try:
            for _ in range(2):
                got = await origin.request("GET", "users.info", {}, timeout=5)
            return got.status, server.connections
        finally:
            origin.close()
            await server.stop()

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        assert runner.run(call()) == (200, 1)


def test_only_http_urls() -> None:
    with pytest.raises(ValueError):
        Origin("ftp://slack.com/api/")
    assert Origin("https://slack.com/api/").host_header == "slack.com"
    assert Origin("http://127.0.0.1:8080/api/").host_header == "127.0.0.1:8080"


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and its key, as PEM files."""
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
