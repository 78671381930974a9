"""Failed Web API calls described in a few words, never with a token or a message text."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from adapters.slack.webapi import WebApiError


def reason(exc: BaseException) -> str:
    """`channel_not_found (HTTP 200)`, `ratelimited (HTTP 429)`, `ClientConnectorError`…"""
    if isinstance(exc, WebApiError):
        return f"{exc.error or 'error'} (HTTP {exc.status})"
    if isinstance(exc, SlackApiError):
        response = exc.response
        error = response.get("error") if response is not None else None
        status = getattr(response, "status_code", "?")
        return f"{error or 'error'} (HTTP {status})"
    return type(exc).__name__
