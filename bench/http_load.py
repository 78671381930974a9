"""A lean HTTP/1.1 client for load benches: kept-alive connections, one request at a time on each
(as aiohttp's pooled client does), on asyncio protocols.

aiohttp's client costs the bench about 0.6 ms of CPU a request: at 1,000 requests a second the
load generator alone would need most of a core, on the core the Web API stand-in also runs on, and
the bench (not the server) would set the latency. This one costs a fraction of that. It knows just
what the benches need: POST with a body, a status line, headers, a Content-Length or chunked body.
"""

from __future__ import annotations

import asyncio
from collections import deque
from urllib.parse import urlsplit


class HttpError(Exception):
    """The connection failed or the answer could not be read."""


class _Connection(asyncio.Protocol):
    """One kept-alive connection: write a request, wait for its whole answer."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._buffer = bytearray()
        self._answer: asyncio.Future[int] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._answer is not None and not self._answer.done():
            self._answer.set_exception(HttpError(f"connection lost: {exc}"))

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        self._parse()

    def request(self, raw: bytes) -> asyncio.Future[int]:
        """Send one whole request; the future gives the answer's status."""
        assert self.transport is not None
        self._answer = asyncio.get_running_loop().create_future()
        self._buffer.clear()
        self.transport.write(raw)
        return self._answer

    def _parse(self) -> None:
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0 or self._answer is None or self._answer.done():
            return
        head = bytes(self._buffer[:end]).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = self._buffer[end + 4 :]
        if headers.get("transfer-encoding", "").lower() == "chunked":
            if not body.endswith(b"0\r\n\r\n"):
                return
        elif len(body) < int(headers.get("content-length", "0")):
            return
        if headers.get("connection", "").lower() == "close" and self.transport is not None:
            self.transport.close()
            self.closed = True
        self._answer.set_result(status)


class LoadClient:
    """POSTs to one URL, at most `limit` at once, over kept-alive connections."""

    def __init__(self, url: str, *, limit: int = 400) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.path = parts.path or "/"
        self._idle: deque[_Connection] = deque()
        self._slots = asyncio.Semaphore(limit)  # requests under way = connections in use

    async def post(self, body: bytes, headers: dict[str, str]) -> int:
        """POST `body` with `headers` (Content-Type is the caller's); the answer's status."""
        lines = [f"POST {self.path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        async with self._slots:
            connection = await self._take()
            try:
                status = await connection.request(raw)
            except BaseException:
                if connection.transport is not None:
                    connection.transport.close()
                raise
            if not connection.closed:
                self._idle.append(connection)
            return status

    async def _take(self) -> _Connection:
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed:
                return connection
        try:
            _, protocol = await asyncio.get_running_loop().create_connection(
                _Connection, self.host, self.port
            )
        except OSError as exc:
            raise HttpError(str(exc)) from exc
        return protocol

    def close(self) -> None:
        """Close every idle connection."""
        while self._idle:
            connection = self._idle.pop()
            if connection.transport is not None:
                connection.transport.close()
