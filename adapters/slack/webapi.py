"""The Web API calls an event may make, lean: `chat.postEphemeral` (the nudge, its JSON already
written by the outbox) and `users.info` (a person's zone and locale), one request each on the
door's kept connections (adapters/slack/http11.py), answers read with orjson.

slack_sdk's generic client path (argument handling, its retry machinery, response objects), and
then aiohttp's client under it, cost more than the request itself on the door's one core. The
same policy as `client.web_client` holds: a 429 waits Retry-After and is tried again (3 times at
most), a 500 or 503 once more.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any
from urllib.parse import urlencode

import orjson

from adapters.slack.client import RATE_LIMIT_RETRIES, SERVER_ERROR_RETRIES, TIMEOUT_SECONDS
from adapters.slack.http11 import Origin

SERVER_ERROR_WAIT = 0.5  # seconds before a 500 or 503 is tried again
_JSON = "application/json; charset=utf-8"


class WebApiError(Exception):
    """Slack answered `ok: false` (`error`), or an HTTP error (`status`)."""

    def __init__(self, method: str, status: int, error: str | None) -> None:
        super().__init__(f"{method}: {error or 'error'} (HTTP {status})")
        self.method = method
        self.status = status
        self.error = error


class WebApi:
    """Calls on one base URL (SLACK_API_URL or Slack's own), over kept connections."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._origin = Origin(base_url)

    async def post_json(self, token: str | None, method: str, body: str) -> dict[str, Any]:
        """POST a JSON body (a `chat.*` method); the answer, or raise `WebApiError`."""
        headers = {"Content-Type": _JSON}
        return await self._call(method, token, headers, data=body.encode())

    async def get(self, token: str | None, method: str, params: dict[str, str]) -> dict[str, Any]:
        """GET with query arguments (a read such as `users.info`); the answer, or raise."""
        return await self._call(f"{method}?{urlencode(params)}", token, {})

    def close(self) -> None:
        """Close the kept connections."""
        self._origin.close()

    async def _call(
        self,
        target: str,
        token: str | None,
        headers: dict[str, str],
        *,
        data: bytes | None = None,
    ) -> dict[str, Any]:
        if token:
            headers = {**headers, "Authorization": f"Bearer {token}"}
        verb = "POST" if data is not None else "GET"
        method = target.partition("?")[0]
        limited = failed = 0
        while True:
            answer = await self._origin.request(
                verb, target, headers, data, timeout=TIMEOUT_SECONDS
            )
            status = answer.status
            if status == 429 and limited < RATE_LIMIT_RETRIES:
                limited += 1
                await asyncio.sleep(_seconds(answer.headers.get("retry-after")) + random.random())
                continue
            if status in (500, 503) and failed < SERVER_ERROR_RETRIES:
                failed += 1
                await asyncio.sleep(SERVER_ERROR_WAIT)
                continue
            body = _parsed(answer.body)
            if status != 200 or not body.get("ok"):
                error = body.get("error")
                raise WebApiError(method, status, error if isinstance(error, str) else None)
            return body


def _seconds(header: str | None) -> int:
    try:
        return max(0, int(header)) if header is not None else 1
    except ValueError:
        return 1


def _parsed(raw: bytes) -> dict[str, Any]:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
