"""Sign request bodies the way Slack does (v0 HMAC-SHA256), for tests that post to the app."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

FORM = "application/x-www-form-urlencoded"


def signed_headers(
    body: str, secret: str, *, timestamp: int | None = None, content_type: str = "application/json"
) -> dict[str, str]:
    """Headers Slack sends with `body`: X-Slack-Request-Timestamp and X-Slack-Signature."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    assert signature is not None
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }


def event_body(event_body: dict[str, Any]) -> str:
    """An Events API request body (JSON)."""
    return json.dumps(event_body)


def form_body(fields: dict[str, Any]) -> str:
    """A slash-command request body (form fields)."""
    return urlencode(fields)


def interaction_body(payload: dict[str, Any]) -> str:
    """An interactivity request body: the JSON payload in a `payload` form field."""
    return urlencode({"payload": json.dumps(payload)})


def forged_headers(
    body: str, *, timestamp: int | None = None, content_type: str = "application/json"
) -> dict[str, str]:
    """Headers signed with the wrong secret, for the 401 test."""
    return signed_headers(body, "not-the-secret", timestamp=timestamp, content_type=content_type)
