"""Bearer-token guard for /api/messages: 401 (JSON) for missing or malformed tokens when auth is on.

botbuilder answers a malformed bearer with 500 (jwt.DecodeError escapes `process`) and a missing
one with a bare 401; this middleware answers both with a JSON 401 before botbuilder runs, and maps
any token error botbuilder raises later (PermissionError, jwt errors) to the same answer.
"""

from __future__ import annotations

import logging

import jwt
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
AUTH_OFF_WARNING = "authentication is off, as with the Bot Framework Emulator (no MicrosoftAppId)"


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
