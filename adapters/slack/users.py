"""users.info, cached: a user's time zone, locale and admin flag without asking Slack each time."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.errors import reason
from adapters.slack.webapi import WebApi

log = logging.getLogger(__name__)

TTL_SECONDS = 3600.0
FAILED_TTL_SECONDS = 60.0  # after a failed lookup, do without for a minute
MAX_USERS = 4096  # people remembered at most; the least recently seen go first


@dataclass(frozen=True)
class SlackUser:
    """What Calma needs to know about a Slack user."""

    tz: str | None
    locale: str | None
    is_admin: bool


def _user(data: dict[str, Any]) -> SlackUser:
    tz, locale = data.get("tz"), data.get("locale")
    return SlackUser(
        tz=tz if isinstance(tz, str) and tz else None,
        locale=locale if isinstance(locale, str) and locale else None,
        is_admin=bool(data.get("is_admin") or data.get("is_owner")),
    )


class UserDirectory:
    """users.info per (workspace, user), cached for an hour; concurrent lookups share one call.

    The cache is bounded: past `max_users` people the least recently seen is forgotten, so
    memory stays flat however many people a workspace has."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        max_users: int = MAX_USERS,
        *,
        webapi: WebApi | None = None,
    ) -> None:
        self._clock = clock
        self._webapi = webapi  # the lean call with the client's token (else the client's own)
        self._max = max_users
        self._cache: OrderedDict[tuple[str, str], tuple[float, SlackUser | None]] = OrderedDict()
        self._pending: dict[tuple[str, str], asyncio.Future[SlackUser | None]] = {}

    async def get(self, client: AsyncWebClient, workspace: str, user: str) -> SlackUser | None:
        """The user, or None when Slack cannot tell (the caller goes on without it)."""
        key = (workspace, user)
        hit = self._cache.get(key)
        if hit is not None and hit[0] > self._clock():
            self._cache.move_to_end(key)
            return hit[1]
        pending = self._pending.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[SlackUser | None] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            found = await self._fetch(client, user)
            ttl = TTL_SECONDS if found is not None else FAILED_TTL_SECONDS
            self._cache[key] = (self._clock() + ttl, found)
            self._cache.move_to_end(key)
            while len(self._cache) > self._max:
                self._cache.popitem(last=False)
            future.set_result(found)
            return found
        finally:
            self._pending.pop(key, None)
            if not future.done():
                future.set_result(None)

    def __len__(self) -> int:
        """People remembered now."""
        return len(self._cache)

    async def _fetch(self, client: AsyncWebClient, user: str) -> SlackUser | None:
        try:
            if self._webapi is not None:
                args = {"user": user, "include_locale": "true"}
                answer: Any = await self._webapi.get(client.token, "users.info", args)
            else:
                answer = await client.users_info(user=user, include_locale=True)
        except Exception as exc:
            log.warning("users.info failed for %s: %s", user, reason(exc))
            return None
        data = answer.get("user")
        return _user(data) if isinstance(data, dict) else None
