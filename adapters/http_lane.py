"""A lean HTTP/1.1 lane in front of aiohttp for the route that takes nearly every request (Slack's
`/slack/events`): a kept-alive POST with a Content-Length is parsed and answered here, without
aiohttp's per-request machinery (its request and response objects, router, writer: about 0.15 ms
of CPU a request on the bench machine, a fifth of what the Slack door spends on an event).

Only the plain case is taken: `POST <lane path> HTTP/1.1`, token header names, printable ASCII
values, each header once, a Content-Length within the limit, no Transfer-Encoding, Expect or
Upgrade. Anything else, and a request its lane declines (the handler returns None), goes with
its connection to aiohttp as if the lane had never read it: aiohttp parses the same bytes and
answers as it always did (its 400s and 413s, every other route). A connection's requests are
answered one at a time, in order.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import cast

from aiohttp import web

log = logging.getLogger(__name__)

MAX_HEAD = 8190  # bytes of request line and headers the lane reads; longer: aiohttp's to judge
KEEPALIVE = 75.0  # seconds an idle connection stays open (aiohttp's keepalive_timeout)
# Header lines as the lane takes them: a token, a colon, printable ASCII (or tab) up to CRLF.
_HEADERS = re.compile(rb"(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e]*\r\n)*")
_REFUSED_HEADERS = frozenset({"transfer-encoding", "expect", "upgrade"})  # aiohttp's to handle


@dataclass(frozen=True, slots=True)
class LaneRequest:
    """A whole request on a lane: its headers (names in lower case) and its body."""

    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class LaneAnswer:
    """What a lane answers: a status, a body and its type."""

    status: int
    body: bytes = b""
    content_type: str | None = None


# A lane's handler: its answer, or None to leave the request (and its connection) to aiohttp.
Lane = Callable[[LaneRequest], Awaitable[LaneAnswer | None]]


@dataclass(frozen=True, slots=True)
class _Head:
    lane: Lane
    headers: dict[str, str]
    length: int
    close: bool


def parse_head(head: bytes, lanes: Mapping[bytes, Lane], max_body: int) -> _Head | None:
    """The request line and headers (without the blank line) when the lane takes the request;
    None when aiohttp should."""
    line, _, fields = head.partition(b"\r\n")
    parts = line.split(b" ")
    if len(parts) != 3 or parts[0] != b"POST" or parts[2] != b"HTTP/1.1":
        return None
    lane = lanes.get(parts[1])
    if lane is None or not _HEADERS.fullmatch(fields + b"\r\n" if fields else b""):
        return None
    headers: dict[str, str] = {}
    for field in fields.split(b"\r\n") if fields else ():
        name, _, value = field.partition(b":")
        key = name.decode("ascii").lower()
        if key in headers or key in _REFUSED_HEADERS:
            return None
        headers[key] = value.strip(b" \t").decode("ascii")
    length = headers.get("content-length", "")
    if not length.isdigit() or len(length) > 10 or int(length) > max_body:
        return None
    tokens = {t.strip().lower() for t in headers.get("connection", "").split(",")}
    if "upgrade" in tokens:
        return None
    return _Head(lane, headers, int(length), "close" in tokens)


def response_bytes(answer: LaneAnswer, *, close: bool) -> bytes:
    """The answer as HTTP/1.1 bytes."""
    try:
        phrase = HTTPStatus(answer.status).phrase
    except ValueError:
        phrase = ""
    head = f"HTTP/1.1 {answer.status} {phrase}\r\nContent-Length: {len(answer.body)}\r\n"
    if answer.content_type:
        head += f"Content-Type: {answer.content_type}\r\n"
    if close:
        head += "Connection: close\r\n"
    return head.encode("latin-1") + b"\r\n" + answer.body


class LaneConnection(asyncio.Protocol):
    """One client connection: lane requests answered here until one is aiohttp's, then the
    connection (and everything read and not yet answered) is handed to `fallback()`."""

    def __init__(
        self,
        lanes: Mapping[bytes, Lane],
        fallback: Callable[[], asyncio.Protocol],
        live: set[LaneConnection],
        max_body: int,
    ) -> None:
        self._lanes = lanes
        self._fallback = fallback
        self._live = live  # the site's open lane connections (closed at shutdown)
        self._max_body = max_body
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self.busy: asyncio.Task[None] | None = None  # the request being answered
        self._paused = False
        self._eof = False
        self._closing = False
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        self._live.add(self)
        self._idle()

    def connection_lost(self, exc: Exception | None) -> None:
        self._live.discard(self)
        self._transport = None
        self._stop_timer()

    def eof_received(self) -> bool:
        """The client sent all it will: keep the connection for the answer under way."""
        self._eof = True
        return self.busy is not None

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if self.busy is None:
            self._next()
        elif len(self._buffer) > self._max_body + MAX_HEAD and self._transport is not None:
            self._paused = True  # a client that pipelines far ahead waits for the answers
            self._transport.pause_reading()

    def close_when_idle(self) -> None:
        """Shutdown: close now if idle, else once the request under way is answered."""
        self._closing = True
        if self.busy is None and self._transport is not None:
            self._transport.close()

    def abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()

    def _next(self) -> None:
        end = self._buffer.find(b"\r\n\r\n", 0, MAX_HEAD + 4)
        if end < 0:
            if len(self._buffer) > MAX_HEAD:
                self._hand_off()
            return
        head = parse_head(bytes(self._buffer[:end]), self._lanes, self._max_body)
        if head is None:
            self._hand_off()
            return
        total = end + 4 + head.length
        if len(self._buffer) < total:
            return
        raw = bytes(self._buffer[:total])
        del self._buffer[:total]
        self._stop_timer()
        request = LaneRequest(head.headers, raw[end + 4 :])
        self.busy = asyncio.get_running_loop().create_task(self._serve(head, request, raw))

    async def _serve(self, head: _Head, request: LaneRequest, raw: bytes) -> None:
        close = head.close
        try:
            answer = await head.lane(request)
        except Exception:
            log.exception("http: a request failed")
            answer, close = LaneAnswer(500, b"500 Internal Server Error", "text/plain"), True
        self.busy = None
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        if answer is None:  # aiohttp's: the request back in front of what follows it
            self._buffer[:0] = raw
            self._hand_off()
            return
        close = close or self._eof or self._closing
        transport.write(response_bytes(answer, close=close))
        if close:
            transport.close()
            return
        if self._paused:
            self._paused = False
            transport.resume_reading()
        self._idle()
        if self._buffer:
            self._next()

    def _hand_off(self) -> None:
        """The connection becomes aiohttp's, with the bytes read and not answered."""
        self._live.discard(self)
        self._stop_timer()
        transport, self._transport = self._transport, None
        if transport is None or transport.is_closing():
            return
        protocol = self._fallback()
        transport.set_protocol(protocol)
        protocol.connection_made(transport)
        if self._paused:
            transport.resume_reading()
        data, self._buffer = bytes(self._buffer), bytearray()
        if data:
            protocol.data_received(data)
        if self._eof:
            protocol.eof_received()

    def _idle(self) -> None:
        self._stop_timer()
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(KEEPALIVE, self.close_when_idle)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


class LaneSite(web.TCPSite):
    """A TCP site whose connections start on the lanes (`path` → handler) and go to the runner's
    aiohttp server for anything else. Stopping it answers the lane requests under way (up to
    `drain` seconds) and closes its connections."""

    def __init__(
        self,
        runner: web.BaseRunner,
        host: str | None,
        port: int,
        *,
        lanes: Mapping[str, Lane],
        max_body: int,
        backlog: int = 128,
        drain: float = 5.0,
    ) -> None:
        super().__init__(runner, host, port, backlog=backlog)
        self._lanes = {path.encode("ascii"): lane for path, lane in lanes.items()}
        self._max_body = max_body
        self._drain = drain
        self.live: set[LaneConnection] = set()

    async def start(self) -> None:
        if not self._lanes:
            await super().start()
            return
        self._runner._reg_site(self)
        server = self._runner.server
        assert server is not None

        def connection() -> LaneConnection:
            return LaneConnection(self._lanes, server, self.live, self._max_body)

        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            connection,
            self._host,
            self._port,
            backlog=self._backlog,
            reuse_address=self._reuse_address,
            reuse_port=self._reuse_port,
        )
        if self._server.sockets:
            self._bound_port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        await super().stop()
        for connection in list(self.live):
            connection.close_when_idle()
        busy = {c.busy for c in self.live if c.busy is not None}
        if busy:
            await asyncio.wait(busy, timeout=self._drain)
        for connection in list(self.live):
            connection.abort()
