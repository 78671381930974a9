"""The lean HTTP lane in front of aiohttp: plain POSTs to a lane path answered by the lane, every
other request (and a request the lane declines) by aiohttp on the same connection, in order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from adapters.http_lane import LaneAnswer, LaneRequest, LaneSite, parse_head, response_bytes

LANE = b"/lane"


async def _no_lane(_request: LaneRequest) -> LaneAnswer | None:
    return None


def _head(*lines: str, target: str = "/lane", version: str = "HTTP/1.1") -> bytes:
    return "\r\n".join((f"POST {target} {version}", *lines)).encode()


def test_a_plain_post_is_the_lanes() -> None:
    head = parse_head(
        _head("Host: x", "Content-Type: application/json", "content-length: 12", "X-A:  b "),
        {LANE: _no_lane},
        100,
    )
    assert head is not None
    assert head.length == 12 and not head.close
    assert head.headers["content-type"] == "application/json"
    assert head.headers["x-a"] == "b"


@pytest.mark.parametrize(
    "head",
    [
        _head("Content-Length: 1", target="/other"),
        _head("Content-Length: 1", target="/lane?x=1"),
        _head("Content-Length: 1", version="HTTP/1.0"),
        b"GET /lane HTTP/1.1\r\nContent-Length: 1",
        _head("Host: x"),  # no length
        _head("Content-Length: 1", "Content-Length: 1"),
        _head("Content-Length: 1", "Transfer-Encoding: chunked"),
        _head("Content-Length: 1", "Expect: 100-continue"),
        _head("Content-Length: 1", "Connection: Upgrade", "Upgrade: websocket"),
        _head("Content-Length: +1"),
        _head("Content-Length: 101"),  # past the limit: aiohttp's 413
        _head("Content-Length: 1", "Bad Name: x"),
        _head("Content-Length: 1", " folded"),
        _head("Content-Length: 1", "X: caf\xe9"),
        _head("Content-Length: 1", "X: a\rb"),
    ],
)
def test_anything_else_is_aiohttps(head: bytes) -> None:
    assert parse_head(head, {LANE: _no_lane}, 100) is None


def test_connection_close_is_kept() -> None:
    head = parse_head(_head("Content-Length: 0", "Connection: close"), {LANE: _no_lane}, 100)
    assert head is not None and head.close


def test_the_answer_bytes() -> None:
    answer = LaneAnswer(401, b'{"e":1}', "application/json")
    assert response_bytes(answer, close=True) == (
        b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 7\r\nContent-Type: application/json\r\n"
        b'Connection: close\r\n\r\n{"e":1}'
    )


Served = tuple[int, list[str]]


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    """A site with one lane (it declines bodies that say `decline`) and an aiohttp app with the
    same path and another; `seen` names who answered what."""
    seen: list[str] = []

    async def lane(request: LaneRequest) -> LaneAnswer | None:
        if request.body == b"decline":
            seen.append("lane declined")
            return None
        await asyncio.sleep(0.01)  # answered later than the next request arrives
        seen.append(f"lane {request.body.decode()}")
        return LaneAnswer(200, b"lane:" + request.body, "text/plain")

    async def routed(request: web.Request) -> web.Response:
        body = await request.text()
        seen.append(f"aiohttp {request.path} {body}")
        return web.Response(text=f"aiohttp:{body}")

    app = web.Application(client_max_size=1000)
    app.router.add_post("/lane", routed)
    app.router.add_post("/other", routed)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = LaneSite(runner, "127.0.0.1", 0, lanes={"/lane": lane}, max_body=1000)
    await site.start()
    try:
        yield runner.addresses[0][1], seen
    finally:
        await runner.cleanup()


def _post(path: str, body: bytes, *extra: str) -> bytes:
    head = [f"POST {path} HTTP/1.1", "Host: x", f"Content-Length: {len(body)}", *extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def _answers(port: int, raw: bytes, count: int) -> list[bytes]:
    """Send `raw` at once (pipelined) and read `count` answers' bodies, in order."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(raw)
    bodies = []
    try:
        for _ in range(count):
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            bodies.append(await reader.readexactly(length))
    finally:
        writer.close()
    return bodies


async def test_lane_requests_are_answered_by_the_lane_in_order(served: Served) -> None:
    port, seen = served
    raw = _post("/lane", b"1") + _post("/lane", b"2") + _post("/lane", b"3")
    assert await _answers(port, raw, 3) == [b"lane:1", b"lane:2", b"lane:3"]
    assert seen == ["lane 1", "lane 2", "lane 3"]


async def test_another_route_goes_to_aiohttp_after_the_lanes_answers(served: Served) -> None:
    port, seen = served
    raw = _post("/lane", b"1") + _post("/other", b"2") + _post("/lane", b"3")
    assert await _answers(port, raw, 3) == [b"lane:1", b"aiohttp:2", b"aiohttp:3"]
    assert seen == ["lane 1", "aiohttp /other 2", "aiohttp /lane 3"]


async def test_a_declined_request_is_answered_by_aiohttp(served: Served) -> None:
    port, seen = served
    raw = _post("/lane", b"decline") + _post("/lane", b"2")
    assert await _answers(port, raw, 2) == [b"aiohttp:decline", b"aiohttp:2"]
    assert seen == ["lane declined", "aiohttp /lane decline", "aiohttp /lane 2"]


async def test_a_chunked_body_is_read_by_aiohttp(served: Served) -> None:
    port, seen = served
    raw = b"POST /lane HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    raw += b"2\r\nab\r\n0\r\n\r\n"
    assert await _answers(port, raw, 1) == [b"aiohttp:ab"]
    assert seen == ["aiohttp /lane ab"]


async def test_a_body_past_the_limit_gets_aiohttps_413(served: Served) -> None:
    port, _ = served
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(_post("/lane", b"x" * 2000))
    status = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    assert status.startswith(b"HTTP/1.1 413")


async def test_a_body_in_pieces_and_connection_close(served: Served) -> None:
    port, seen = served
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    raw = _post("/lane", b"hello", "Connection: close")
    for i in range(0, len(raw), 7):
        writer.write(raw[i : i + 7])
        await writer.drain()
        await asyncio.sleep(0.001)
    answer = await asyncio.wait_for(reader.read(), 5)  # to EOF: the lane closes
    writer.close()
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"Connection: close" in answer and answer.endswith(b"lane:hello")
    assert seen == ["lane hello"]
