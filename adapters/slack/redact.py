"""Keep tokens and secrets out of the logs, whatever level slack_sdk and Bolt log at.

At DEBUG slack_sdk dumps every request and response, and oauth.v2.access answers with the new
bot token; the filter rewrites such records before any handler sees them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "[redacted]"
_TOKEN = re.compile(r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+")
_BASIC = re.compile(r"Basic [A-Za-z0-9+/=]+")
_SECRET_FIELD = re.compile(
    r"""(['"]?(?:client_secret|signing_secret|access_token|refresh_token|token)['"]?\s*[:=]\s*)"""
    r"""(['"]?)[^'",\s&}]+"""
)
_LOGGERS = ("slack_sdk", "slack_bolt", "aiohttp.client")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without Slack tokens, Basic credentials, secret fields or the given secrets."""
    text = _TOKEN.sub(lambda m: f"{m.group(1)}-{MASK}", text)
    text = _BASIC.sub(f"Basic {MASK}", text)
    text = _SECRET_FIELD.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text


class Redactor(logging.Filter):
    """A filter that rewrites each record's message with `redact`."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message, self.secrets)
        if clean != message:
            record.msg, record.args = clean, None
        return True


_REDACTOR = Redactor()


def guard_logs(secrets: Iterable[str]) -> None:
    """Redact `secrets` (and any Slack token) in every slack_sdk, Bolt and aiohttp-client logger
    there is: a filter on a logger does not reach its children, so each one gets it."""
    _REDACTOR.secrets.update(s for s in secrets if s)
    names = {
        name
        for name in list(logging.root.manager.loggerDict)
        for root in _LOGGERS
        if name == root or name.startswith(root + ".")
    }
    for name in names | set(_LOGGERS):
        logger = logging.getLogger(name)
        if _REDACTOR not in logger.filters:
            logger.addFilter(_REDACTOR)
