"""The Web API client of every Slack call: one base URL, one session, retries on 429/5xx."""

from __future__ import annotations

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

DEFAULT_API_URL = "https://slack.com/api/"
RATE_LIMIT_RETRIES = 3  # each waits the Retry-After Slack sends
SERVER_ERROR_RETRIES = 1
TIMEOUT_SECONDS = 10


def api_url(configured: str | None) -> str:
    """SLACK_API_URL (GovSlack, tests) or Slack's own, always ending in a slash."""
    url = (configured or DEFAULT_API_URL).strip()
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"SLACK_API_URL must be an http(s) URL, not {url!r}")
    return url if url.endswith("/") else url + "/"


def web_client(
    token: str | None, base_url: str, session: aiohttp.ClientSession | None = None
) -> AsyncWebClient:
    """An AsyncWebClient that waits out 429s (Retry-After) and retries a 5xx once."""
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        session=session,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
        ],
    )
