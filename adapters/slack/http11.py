"""A lean HTTP/1.1 client for the Web API calls an event makes (`chat.postEphemeral`,
`users.info`): kept-alive connections to one origin, one request at a time on each, on asyncio
protocols, over TLS for `https://`.

aiohttp's client (its request and response objects, cookie jar, payload and header machinery)
cost about 0.3 ms of the door's one core a call; at 1,000 events a second a quarter of them call,
and that was the largest single share of the door's time after the coaching core. This client
does what these calls need and no more: a request with its bytes written at once, an answer read
whole (Content-Length, chunked, or up to the close), `Connection: close` honoured, idle
connections dropped after `KEEP_IDLE_SECONDS`, and a deadline for the whole call. No redirects,
cookies, proxies or compression (the Web API answers these calls directly, uncompressed when
not asked otherwise), as aiohttp's session did without `trust_env`.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import deque
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

KEEP_IDLE_SECONDS = 15.0  # aiohttp's keep-alive: an idle connection older than this is closed
MAX_CONNECTIONS = 100  # aiohttp's default limit: calls past this wait for a connection
MAX_HEAD_BYTES = 64 * 1024  # a status line and headers longer than this are refused
USER_AGENT = "calma"


class HttpError(ConnectionError):
    """The connection failed, or the answer was not HTTP/1.1 this client can read."""


@dataclass(frozen=True, slots=True)
class Answer:
    """One HTTP answer: the status, the headers (names in lower case) and the whole body."""

    status: int
    headers: dict[str, str]
    body: bytes


class _Connection(asyncio.Protocol):
    """One kept-alive connection: write a request, wait for its whole answer."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.idle_since = 0.0
        self.served = 0  # answers read on it (a reused connection has served one or more)
        self._buffer = bytearray()
        self._answer: asyncio.Future[Answer] | None = None
        self._head: tuple[int, dict[str, str]] | None = None
        self._body_at = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        answer = self._answer
        if answer is None or answer.done():
            return
        if self._head is not None and self._until_close():  # its body ends with the connection
            self._finish(bytes(self._buffer[self._body_at :]))
            return
        answer.set_exception(HttpError(f"connection lost before the answer ({exc or 'closed'})"))

    def data_received(self, data: bytes) -> None:
        if self._answer is None or self._answer.done():
            return  # nothing asked: bytes after an answer on a connection that will be closed
        self._buffer += data
        try:
            self._parse()
        except HttpError as exc:
            self._fail(exc)
        except ValueError as exc:
            self._fail(HttpError(f"unreadable answer: {exc}"))

    def request(self, raw: bytes) -> asyncio.Future[Answer]:
        """Send one whole request; the future gives its whole answer."""
        assert self.transport is not None
        self._answer = asyncio.get_running_loop().create_future()
        self._buffer.clear()
        self._head = None
        self.transport.write(raw)
        return self._answer

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _fail(self, exc: HttpError) -> None:
        self.close()
        if self._answer is not None and not self._answer.done():
            self._answer.set_exception(exc)

    def _parse(self) -> None:
        if self._head is None:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > MAX_HEAD_BYTES:
                    raise HttpError("answer headers too long")
                return
            lines = bytes(self._buffer[:end]).decode("latin-1").split("\r\n")
            version, _, rest = lines[0].partition(" ")
            if not version.startswith("HTTP/1."):
                raise HttpError(f"not an HTTP/1.x answer: {lines[0][:40]!r}")
            status = int(rest[:3])
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            self._head = (status, headers)
            self._body_at = end + 4
            if 100 <= status < 200:  # an interim answer (not asked for): the real one follows
                del self._buffer[: self._body_at]
                self._head = None
                self._parse()
                return
        _, headers = self._head
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = _dechunked(self._buffer, self._body_at)
            if body is not None:
                self._finish(body)
            return
        length = headers.get("content-length")
        if length is not None:
            size = int(length)
            if len(self._buffer) - self._body_at >= size:
                self._finish(bytes(self._buffer[self._body_at : self._body_at + size]))
        # neither: the body lasts until the server closes the connection (connection_lost)

    def _until_close(self) -> bool:
        assert self._head is not None
        headers = self._head[1]
        chunked = headers.get("transfer-encoding", "").lower() == "chunked"
        return not chunked and "content-length" not in headers

    def _finish(self, body: bytes) -> None:
        assert self._head is not None and self._answer is not None
        status, headers = self._head
        if headers.get("connection", "").lower() == "close" or self._until_close():
            self.close()
        self.served += 1
        self.idle_since = time.monotonic()
        if not self._answer.done():
            self._answer.set_result(Answer(status, headers, body))


def _dechunked(buffer: bytearray, start: int) -> bytes | None:
    """The body of a chunked answer once it is whole (None while it is not)."""
    body = bytearray()
    at = start
    while True:
        line_end = buffer.find(b"\r\n", at)
        if line_end < 0:
            return None
        size = int(bytes(buffer[at:line_end]).split(b";", 1)[0].strip() or b"0", 16)
        at = line_end + 2
        if size == 0:  # the last chunk; then trailers (none expected) and an empty line
            return bytes(body) if buffer.find(b"\r\n", at) >= 0 else None
        if len(buffer) < at + size + 2:
            return None
        body += buffer[at : at + size]
        at += size + 2


class Origin:
    """Calls to one scheme, host and port (`base_url`, e.g. https://slack.com/api/), over kept
    connections."""

    def __init__(
        self,
        base_url: str,
        *,
        limit: int = MAX_CONNECTIONS,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self.tls = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.tls else 80)
        default_port = self.port == (443 if self.tls else 80)
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.host_header = host if default_port else f"{host}:{self.port}"
        self.base_path = parts.path or "/"
        self._ssl = (ssl_context or ssl.create_default_context()) if self.tls else None
        self._idle: deque[_Connection] = deque()
        self._slots = asyncio.Semaphore(limit)
        self._open: set[_Connection] = set()

    async def request(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes | None = None,
        *,
        timeout: float,
    ) -> Answer:
        """`method` on `base_url + path` (a query string included) with `headers`; the whole
        answer, or raise `HttpError` (or `TimeoutError` past `timeout` seconds)."""
        lines = [f"{method} {self.base_path}{path} HTTP/1.1", f"Host: {self.host_header}"]
        lines.append(f"User-Agent: {USER_AGENT}")
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")
        async with asyncio.timeout(timeout), self._slots:
            connection = await self._take()
            reused = connection.served > 0
            try:
                return await self._exchange(connection, raw)
            except HttpError:
                # A kept connection the server closed meanwhile: a read that never reached it
                # is asked again once on a new one (as aiohttp does for idempotent methods).
                if not (reused and method == "GET"):
                    raise
            return await self._exchange(await self._connect(), raw)

    async def _exchange(self, connection: _Connection, raw: bytes) -> Answer:
        try:
            answer = await connection.request(raw)
        except BaseException:
            connection.close()
            self._open.discard(connection)
            raise
        if connection.closed:
            self._open.discard(connection)
        else:
            self._idle.append(connection)
        return answer

    async def _take(self) -> _Connection:
        now = time.monotonic()
        while self._idle:
            connection = self._idle.pop()  # the most recently used: the likeliest still open
            if not connection.closed and now - connection.idle_since < KEEP_IDLE_SECONDS:
                return connection
            connection.close()
            self._open.discard(connection)
        return await self._connect()

    async def _connect(self) -> _Connection:
        try:
            _, protocol = await asyncio.get_running_loop().create_connection(
                _Connection,
                self.host,
                self.port,
                ssl=self._ssl,
                server_hostname=self.host if self._ssl is not None else None,
            )
        except (OSError, ssl.SSLError) as exc:
            raise HttpError(f"cannot connect to {self.host}:{self.port}: {exc}") from exc
        self._open.add(protocol)
        return protocol

    def close(self) -> None:
        """Close every connection (calls under way fail)."""
        for connection in list(self._open):
            connection.close()
        self._open.clear()
        self._idle.clear()
