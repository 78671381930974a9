"""A local websocket stand-in for Socket Mode: hello, then pushed envelopes; records acks."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

HELLO = {
    "type": "hello",
    "num_connections": 1,
    "debug_info": {"host": "applink-fake", "build_number": 1, "approximate_connection_time": 3600},
    "connection_info": {"app_id": "A0CALMA"},
}


def envelope(kind: str, payload: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A Socket Mode envelope: kind is events_api, slash_commands or interactive."""
    return {
        "envelope_id": str(uuid.uuid4()),
        "type": kind,
        "payload": payload,
        "accepts_response_payload": kind != "events_api",
        **extra,
    }


def events_envelope(event_body: dict[str, Any], *, retry_attempt: int = 0) -> dict[str, Any]:
    """An Events API envelope, as Slack sends it on first delivery (0) or on a retry (n)."""
    reason = "timeout" if retry_attempt else ""
    return envelope("events_api", event_body, retry_attempt=retry_attempt, retry_reason=reason)


class FakeSocketMode:
    """Runs on the FakeSlack loop; `push` and the record accessors are thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._acks: list[dict[str, Any]] = []
        self._connections: list[ServerConnection] = []
        self._backlog: list[str] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Server | None = None
        self.connects = 0
        self.url = ""
        self.pushed: list[dict[str, Any]] = []  # every envelope sent, for the privacy check

    async def start(self, host: str = "127.0.0.1") -> None:
        """Listen on a random port of `host` (called on the FakeSlack loop)."""
        self._loop = asyncio.get_running_loop()
        self._server = await serve(self._handle, host, 0)
        port = next(iter(self._server.sockets)).getsockname()[1]
        self.url = f"ws://{host}:{port}/link/?ticket=fake"

    async def stop(self) -> None:
        """Close every connection and the listener."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, conn: ServerConnection) -> None:
        await conn.send(json.dumps(HELLO))
        with self._lock:
            self._connections.append(conn)
            self.connects += 1
            backlog, self._backlog = self._backlog, []
            self._lock.notify_all()
        for text in backlog:
            await conn.send(text)
        try:
            async for raw in conn:
                self._record(raw)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._connections.remove(conn)

    def _record(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            return
        with self._lock:
            self._acks.append(message)
            self._lock.notify_all()

    def push(self, message: dict[str, Any]) -> None:
        """Send `message` to the connected client, or to the next one to connect."""
        self.pushed.append(message)
        text = json.dumps(message)
        with self._lock:
            conns = list(self._connections)
            if not conns:
                self._backlog.append(text)
                return
        assert self._loop is not None
        for conn in conns:
            asyncio.run_coroutine_threadsafe(conn.send(text), self._loop).result(5)

    def drop_connections(self) -> None:
        """Close every open connection, as Slack does on refresh; clients should reconnect."""
        with self._lock:
            conns = list(self._connections)
        assert self._loop is not None
        for conn in conns:
            asyncio.run_coroutine_threadsafe(conn.close(), self._loop).result(5)

    @property
    def acks(self) -> list[dict[str, Any]]:
        """Every message the client sent back (acks carry `envelope_id`, maybe a `payload`)."""
        with self._lock:
            return list(self._acks)

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """Block until the client acks `envelope_id`; AssertionError on timeout."""
        with self._lock:
            found = self._lock.wait_for(
                lambda: any(a.get("envelope_id") == envelope_id for a in self._acks), timeout
            )
            assert found, f"no ack for {envelope_id} within {timeout}s; acks: {self._acks}"
            return next(a for a in self._acks if a.get("envelope_id") == envelope_id)

    async def ack_of(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """Async `wait_for_ack`, for tests whose client runs on the test's own loop."""
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            for ack in self.acks:
                if ack.get("envelope_id") == envelope_id:
                    return ack
            await asyncio.sleep(0.01)
        raise AssertionError(f"no ack for {envelope_id} within {timeout}s; acks: {self.acks}")

    def wait_for_connection(self, timeout: float = 5.0) -> None:
        """Block until a client is connected."""
        with self._lock:
            assert self._lock.wait_for(lambda: bool(self._connections), timeout), "no client"
