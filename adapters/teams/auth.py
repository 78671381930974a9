"""Bearer-token guard for /api/messages: 401 (JSON) for missing or malformed tokens when auth is on.

botbuilder answers a malformed bearer with 500 (jwt.DecodeError escapes `process`) and a missing
one with a bare 401; this middleware answers both with a JSON 401 before botbuilder runs, and maps
any token error botbuilder raises later (PermissionError, jwt errors) to the same answer.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import jwt
import requests
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import jwt_token_extractor

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
AUTH_OFF_WARNING = "authentication is off, as with the Bot Framework Emulator (no MicrosoftAppId)"


IDENTITY_TIMEOUT = 5.0  # seconds for each request to the Bot Framework identity service


async def _refresh_off_the_loop(self: Any) -> None:
    """botbuilder's `_OpenIdMetadata._refresh`, with timeouts and in a worker thread: upstream
    calls `requests.get` with no timeout on the event loop, so a silent identity service froze
    every door until the kernel gave up on the connection (about two minutes)."""

    def fetch() -> list[Any]:
        metadata = requests.get(self.url, timeout=IDENTITY_TIMEOUT)
        metadata.raise_for_status()
        keys = requests.get(metadata.json()["jwks_uri"], timeout=IDENTITY_TIMEOUT)
        keys.raise_for_status()
        return list(keys.json()["keys"])

    self.keys = await asyncio.to_thread(fetch)
    self.last_updated = datetime.now()


# botbuilder is archived upstream (support ended 2025-12-31): the one method is replaced here.
jwt_token_extractor._OpenIdMetadata._refresh = _refresh_off_the_loop


def why_refused(error: BaseException) -> str:
    """Why botbuilder could not verify a bearer, in words (it raises IndexError for a missing or
    unknown key id, a bare Exception for HS256, anything at all when the service is down)."""
    if isinstance(error, requests.RequestException | ConnectionError | asyncio.TimeoutError):
        return f"identity service unreachable ({type(error).__name__})"
    if isinstance(error, IndexError | KeyError):
        return "no signing key for the token (missing or unknown kid)"
    if isinstance(error, jwt.ExpiredSignatureError):
        return "token expired"
    if isinstance(error, jwt.PyJWTError):
        return f"token rejected ({type(error).__name__})"
    if isinstance(error, PermissionError):
        return f"token rejected ({str(error)[:80] or 'unauthorized'})"
    return f"token rejected ({type(error).__name__}: {str(error)[:80]})"


class StrictAuthentication(ConfigurationBotFrameworkAuthentication):  # type: ignore[misc]
    """botbuilder's authentication, with every failure to verify a token raised as PermissionError
    (which CloudAdapter answers with 401) and logged once with the reason; and Bot Connector
    clients that never retry on their own (msrest would retry 3 times, 0.8 s backoff, inside each
    of our tries: one retry layer, adapters/teams/retry.py)."""

    async def authenticate_request(self, activity: Any, auth_header: str) -> Any:
        try:
            result = await super().authenticate_request(activity, auth_header)
        except Exception as error:
            reason = why_refused(error)
            log.warning("teams: refused a bearer token: %s", reason)
            raise PermissionError(reason) from None
        if result.connector_factory is not None:
            result.connector_factory = NoRetries(result.connector_factory)
        return result

    def create_connector_factory(self, claims_identity: Any) -> Any:
        return NoRetries(super().create_connector_factory(claims_identity))


class NoRetries:
    """A connector factory whose clients make one HTTP request per call."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    async def create(self, service_url: str, audience: str | None = None) -> Any:
        client = await self._inner.create(service_url, audience)
        policy = client.config.retry_policy.policy  # the object requests' adapters already hold
        policy.total = policy.connect = policy.read = policy.status = 0
        policy.status_forcelist = frozenset()
        policy.raise_on_status = False
        return client


def unauthorized(reason: str) -> web.Response:
    """The 401 answer: JSON body, and the scheme the caller should use."""
    return web.json_response(
        {"error": "unauthorized", "message": reason},
        status=401,
        headers={"WWW-Authenticate": "Bearer"},
    )


def bearer_problem(header: str | None) -> str | None:
    """Why an Authorization header cannot hold a Bot Framework token, or None when it may."""
    if not header:
        return "missing bearer token"
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token or " " in token.strip():
        return "malformed authorization header"
    try:
        jwt.get_unverified_header(token.strip())
        jwt.decode(token.strip(), options={"verify_signature": False})
    except jwt.PyJWTError:
        return "malformed bearer token"
    return None


def bearer_guard(app_id: str | None, *, path: str = MESSAGES_PATH) -> Middleware:
    """The middleware for an app whose bot id is `app_id`; empty means auth off (warned once)."""
    if not app_id:
        log.warning(AUTH_OFF_WARNING)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not app_id or request.path != path:
            return await handler(request)
        if problem := bearer_problem(request.headers.get("Authorization")):
            return unauthorized(problem)
        try:
            return await handler(request)
        except (PermissionError, web.HTTPUnauthorized):
            return unauthorized("invalid bearer token")
        except jwt.PyJWTError as error:
            return unauthorized(f"invalid bearer token: {type(error).__name__}")

    return guard
