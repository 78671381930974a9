"""Backoff for Bot Connector calls: what is retried, how long it waits, when it gives up."""

from __future__ import annotations

import pytest
from msrest.exceptions import ClientRequestError

from adapters.teams.retry import Backoff, with_retry


class Response:
    def __init__(self, status, retry_after=None):
        self.status_code = status
        self.headers = {"Retry-After": retry_after} if retry_after is not None else {}


def http_error(status, retry_after=None):
    from botbuilder.schema import ErrorResponseException

    error = ErrorResponseException.__new__(ErrorResponseException)
    error.response = Response(status, retry_after)
    return error


class Flaky:
    def __init__(self, *errors):
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


DEFAULT = Backoff(attempts=4, base=0.5, cap=8.0)


async def run(call, backoff=DEFAULT):
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    result = await with_retry(call, backoff, "test", sleep=sleep)
    return result, waits


async def test_429_waits_what_retry_after_says_then_succeeds():
    call = Flaky(http_error(429, "3"), http_error(429, "120"))
    result, waits = await run(call)
    assert result == "ok" and call.calls == 3
    assert waits == [3.0, 8.0]  # the second wait is capped


@pytest.mark.parametrize("status", [412, 500, 502, 503, 504])
async def test_server_errors_back_off_with_jitter_within_bounds(status):
    call = Flaky(http_error(status), http_error(status), http_error(status))
    result, waits = await run(call)
    assert result == "ok"
    assert [0.5 <= w <= 0.5 * 2**n for n, w in enumerate(waits, 1)] == [True] * 3


async def test_lost_connections_are_retried():
    result, waits = await run(Flaky(ClientRequestError("connection reset")))
    assert result == "ok" and len(waits) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404])
async def test_client_errors_are_raised_at_once(status):
    call = Flaky(http_error(status))
    with pytest.raises(type(http_error(status))):
        await run(call)
    assert call.calls == 1


async def test_gives_up_after_the_last_attempt_with_the_last_error():
    call = Flaky(*(http_error(503) for _ in range(5)))
    with pytest.raises(type(http_error(503))):
        await run(call, Backoff(attempts=3))
    assert call.calls == 3
