"""Retrying Bot Connector calls: 429, 412 and 5xx (and lost connections) with jittered backoff.

botbuilder raises on the first 429 or 5xx; Teams asks bots to back off and try again. A call
that still fails after the last attempt raises, so a reminder stays pending and is retried later.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from azure.core.exceptions import AzureError, DeserializationError
from msrest.exceptions import ClientException, ClientRequestError, HttpOperationError

log = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_STATUSES = frozenset({412, 429, 500, 502, 503, 504})


def status_of(error: BaseException) -> int | None:
    """The HTTP status a Bot Connector error carries, if any."""
    if not isinstance(error, HttpOperationError):
        return None
    response: Any = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    return status if isinstance(status, int) else None


def error_code(error: BaseException) -> str | None:
    """The Bot Connector's error code ("ConversationNotFound"…), if the answer carried one."""
    body: Any = getattr(error, "error", None)
    code = getattr(getattr(body, "error", None), "code", None)
    return code if isinstance(code, str) else None


def retry_after(error: BaseException) -> float | None:
    """Seconds the connector asked us to wait (Retry-After), if it said."""
    response: Any = getattr(error, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        raw = headers.get("Retry-After")
        return None if raw is None else max(0.0, float(raw))
    except (TypeError, ValueError, AttributeError):
        return None


def outbound_failure(error: BaseException) -> bool:
    """An error from the Bot Connector call itself (refused, unreadable answer, lost connection),
    as opposed to a bug of ours: worth one log line, not a traceback."""
    return isinstance(
        error,
        ClientException
        | AzureError
        | DeserializationError
        | ConnectionError
        | asyncio.TimeoutError,
    )


def describe(error: BaseException) -> str:
    """`HttpOperationError 404 ConversationNotFound`, `DeserializationError`…, on one line."""
    parts = [type(error).__name__, str(status_of(error) or ""), error_code(error) or ""]
    return " ".join(p for p in parts if p)


def retryable(error: BaseException) -> bool:
    """Throttling, a server error or a lost connection: worth another try."""
    if isinstance(error, ClientRequestError | ConnectionError | asyncio.TimeoutError):
        return True
    return status_of(error) in RETRY_STATUSES


@dataclass(frozen=True)
class Backoff:
    """How many tries, and how long to wait between them (full jitter, capped)."""

    attempts: int = 4
    base: float = 0.5  # seconds
    cap: float = 8.0

    def delay(self, attempt: int, error: BaseException) -> float:
        """Wait before try `attempt + 1`: Retry-After when given (capped), else jittered 2^n."""
        asked = retry_after(error)
        if asked is not None:
            return min(asked, self.cap)
        return random.uniform(self.base, min(self.cap, self.base * 2**attempt))


async def with_retry(
    call: Callable[[], Awaitable[T]],
    backoff: Backoff,
    what: str,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """Await `call()`, trying again on retryable errors; the last error is raised."""
    for attempt in range(1, backoff.attempts + 1):
        try:
            return await call()
        except Exception as error:
            if attempt >= backoff.attempts or not retryable(error):
                raise
            wait = backoff.delay(attempt, error)
            log.warning(
                "%s failed (%s %s); try %d of %d in %.2f s",
                what,
                type(error).__name__,
                status_of(error) or "",
                attempt + 1,
                backoff.attempts,
                wait,
            )
            await sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover
