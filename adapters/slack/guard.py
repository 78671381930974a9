"""What `/slack/events` checks before Bolt sees a request: Slack's signature on the raw bytes, that
the signature is new (replays refused for the 300 s window), and the shape of what Calma reads.

Nothing here parses a body until its signature is known to be Slack's. Every refusal says in one
line what was wrong; none raises.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

import orjson

WINDOW = 300  # seconds: Slack's own tolerance for X-Slack-Request-Timestamp
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_SIGNATURE = re.compile(r"^v0=[0-9a-f]{64}$")
# A message ts: at most 11 digits of seconds (up to the year 5138; Slack's have 10), so it is a
# time inside datetime's calendar (12 digits reach the year 33658: `slack_time` would raise).
_SLACK_TS = re.compile(r"^[0-9]{1,11}(\.[0-9]{1,9})?$")
MAX_DEPTH = 32  # Slack's payloads nest a dozen levels at most


def signature_problem(
    secret: str, body: bytes, timestamp: str | None, signature: str | None, now: float
) -> str | None:
    """Why a request is not signed by Slack now (None when it is), from the raw bytes alone."""
    if not timestamp or not _TIMESTAMP.match(timestamp):
        return "missing or malformed X-Slack-Request-Timestamp"
    if abs(now - int(timestamp)) > WINDOW:
        return "stale X-Slack-Request-Timestamp"
    if not signature or not _SIGNATURE.match(signature):
        return "missing or malformed X-Slack-Signature"
    mac = _keyed(secret).copy()  # the key's HMAC state, made once: a copy, then the bytes
    mac.update(b"v0:" + timestamp.encode() + b":")
    mac.update(body)
    if not hmac.compare_digest("v0=" + mac.hexdigest(), signature):
        return "signature mismatch"
    return None


@functools.lru_cache(maxsize=4)
def _keyed(secret: str) -> hmac.HMAC:
    """HMAC-SHA256 keyed with the signing secret, before any message (copied per request:
    about 1.4 us instead of 3.7 for the one-shot `hmac.digest`, which sets the key up each time)."""
    return hmac.new(secret.encode(), digestmod=hashlib.sha256)


class Replays:
    """Signatures seen within the window: the first request acts, a replay of it does not.

    A replay carries the same signed X-Slack-Request-Timestamp, so signatures are kept by it: one
    set of 64-bit hashes (not the strings) per second of timestamp. A second older than the
    window is dropped whole (its requests are refused as stale before they get here), so memory
    holds the window's requests only, at about 70 bytes each."""

    def __init__(self, window: float = WINDOW, clock: Callable[[], float] = time.time) -> None:
        self.window = window
        self.clock = clock
        self._by_second: dict[int, set[int]] = {}
        self._count = 0
        self._swept = -1

    def first_time(self, signature: str, timestamp: int | None = None) -> bool:
        """True the first time a signature is seen in the window (then it is remembered);
        `timestamp` is the request's signed one (default: now)."""
        now = self.clock()
        if int(now) != self._swept:
            self._forget(now)
        seen = self._by_second.setdefault(int(now) if timestamp is None else timestamp, set())
        key = hash(signature)
        if key in seen:
            return False
        seen.add(key)
        self._count += 1
        return True

    def _forget(self, now: float) -> None:
        self._swept = int(now)
        for second in [s for s in self._by_second if s < now - self.window]:
            self._count -= len(self._by_second.pop(second))

    def __len__(self) -> int:
        return self._count


def replay_key(body: Mapping[str, Any], signature: str, headers: Mapping[str, str]) -> str:
    """What a replay repeats: the signature. Slack's own retry of an event (X-Slack-Retry-Num
    1 to 3) may be byte-identical within a second, so it counts apart: events are deduplicated
    by event id anyway, and commands and interactions are never retried by Slack."""
    retry = headers.get("X-Slack-Retry-Num", "")
    if body.get("type") == "event_callback" and retry in ("1", "2", "3"):
        return f"{signature}#{retry}"
    return signature


class Refused(Exception):
    """A signed body Calma cannot read: `status` 400, or 200 for an event Slack would retry."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def parse(body: bytes, content_type: str) -> dict[str, Any]:
    """The request as a dict (a JSON object, form fields, or an interaction's `payload`)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "malformed request body") from None
    if content_type == "application/x-www-form-urlencoded":
        fields = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" not in fields:
            return fields
        raw = _json(fields["payload"])
        if not isinstance(raw, dict):
            raise Refused(400, "payload is not a JSON object")
        return raw
    raw = _json(text)
    if not isinstance(raw, dict):
        raise Refused(400, "body is not a JSON object")
    return raw


def _json(text: str) -> Any:
    """orjson's parse (several times quicker); the standard library's for what orjson refuses
    but the standard library reads (a lone surrogate escape in a message's text, NaN)."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            raise Refused(400, "malformed request body") from None
    # A body cannot nest deeper than it has brackets (those inside strings only add to the
    # count): most events have far fewer than MAX_DEPTH and need no walk over their values.
    if text.count("{") + text.count("[") > MAX_DEPTH and _depth(value) > MAX_DEPTH:
        raise Refused(400, "body nests too deep")
    return value


def _depth(value: Any) -> int:
    depth, level = 0, [value]
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return depth
        nxt: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nxt.extend(item.values())
            elif isinstance(item, list):
                nxt.extend(item)
        level = nxt
    return depth - 1


# ---- shapes: the fields Bolt and Calma read, with the type each must have when present ----

OBJ, STR, LIST, TS = "object", "string", "list", "timestamp"
Shape = Mapping[str, str]

_ENVELOPE: Shape = {
    "team_id": STR,
    "enterprise_id": STR,
    "api_app_id": STR,
    "event_id": STR,
    "authorizations": LIST,
    "event": OBJ,
}
_EVENT: Shape = {
    "type": STR,
    "subtype": STR,
    "user": STR,
    "channel": STR,
    "team": STR,
    "user_team": STR,
    "source_team": STR,
    "text": STR,
    "bot_id": STR,
    "tab": STR,
    "channel_type": STR,
    "ts": TS,
    "thread_ts": TS,
    "event_ts": TS,
    "message": OBJ,
    "previous_message": OBJ,
    "tokens": OBJ,
    "files": LIST,
    "blocks": LIST,
}
_INNER_MESSAGE: Shape = {
    "user": STR,
    "text": STR,
    "ts": TS,
    "thread_ts": TS,
    "bot_id": STR,
    "subtype": STR,
    "team": STR,
    "user_team": STR,
}
_INTERACTION: Shape = {
    "user": OBJ,
    "team": OBJ,
    "channel": OBJ,
    "enterprise": OBJ,
    "container": OBJ,
    "message": OBJ,
    "view": OBJ,
    "trigger_id": STR,
    "response_url": STR,
    "response_urls": LIST,
    "callback_id": STR,
    "actions": LIST,
    "api_app_id": STR,
    "is_enterprise_install": "bool",
    "action_ts": TS,
}
_CONTAINER: Shape = {
    "type": STR,
    "message_ts": TS,
    "thread_ts": TS,
    "channel_id": STR,
    "view_id": STR,
    "is_ephemeral": "bool",
}
_IDS: Shape = {"id": STR, "team_id": STR, "locale": STR, "name": STR, "username": STR}
_VIEW: Shape = {"id": STR, "callback_id": STR, "state": OBJ, "private_metadata": STR, "type": STR}
_ACTION: Shape = {
    "action_id": STR,
    "block_id": STR,
    "value": STR,
    "type": STR,
    "action_ts": TS,
}
_TYPES: dict[str, Callable[[Any], bool]] = {
    OBJ: lambda v: isinstance(v, dict),
    STR: lambda v: isinstance(v, str),
    LIST: lambda v: isinstance(v, list),
    TS: lambda v: isinstance(v, str) and bool(_SLACK_TS.match(v)),
    "bool": lambda v: isinstance(v, bool),
}
INTERACTIONS = frozenset(
    {"block_actions", "message_action", "shortcut", "view_submission", "view_closed"}
)


def _check(data: Mapping[str, Any], shape: Shape, where: str) -> None:
    if len(data) < len(shape):  # over the body's fields (an event's dozen, not the shape's 20)
        for key, value in data.items():
            kind = shape.get(key)
            if kind is not None and value is not None:
                _check_one(key, kind, value, where)
        return
    for key, kind in shape.items():
        value = data.get(key)
        if value is not None:
            _check_one(key, kind, value, where)


def _check_one(key: str, kind: str, value: Any, where: str) -> None:
    if kind == STR:  # most fields: no call through _TYPES
        if not isinstance(value, str):
            raise Refused(400, f"{where}{key} is not a {kind}")
        if key != "text" and not _utf8(value):
            raise Refused(400, f"{where}{key} is not valid UTF-8")
    elif not _TYPES[kind](value):
        raise Refused(400, f"{where}{key} is not a {kind}")


def _utf8(text: str) -> bool:
    """False for a string with a lone surrogate (JSON allows one; Slack never sends it in ids)."""
    if text.isascii():  # ids nearly always: one C scan, no encoded copy
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_authorizations(body: Mapping[str, Any], status: int) -> None:
    auths = body.get("authorizations")
    if auths is None:
        return
    if not isinstance(auths, list):
        raise Refused(status, "authorizations is not a list")
    for auth in auths:
        if not isinstance(auth, dict):
            raise Refused(status, "authorizations holds a non-object")
        _check(auth, _AUTH, "authorizations[].")


_AUTH: Shape = {
    "team_id": STR,
    "user_id": STR,
    "enterprise_id": STR,
    "is_bot": "bool",
    "is_enterprise_install": "bool",
}


_NESTED = ("event", "message", "previous_message", "item", "assistant_thread")


def _who_and_where(node: Mapping[str, Any], where: str, depth: int = 0) -> str | None:
    """Bolt reads `user`, `channel`, `team`, `enterprise` as a string or an object with an `id`,
    at the top and in the nested event, message and item: anything else, and it raises."""
    for key in ("user", "channel", "team", "enterprise"):
        value = node.get(key)
        if value is None or isinstance(value, str):
            continue
        if not isinstance(value, dict):
            return f"{where}{key} is neither a string nor an object"
        for inner in ("id", "team_id", "enterprise_id"):
            if inner in value and not isinstance(value[inner], str | None):
                return f"{where}{key}.{inner} is not a string"
    for key in _NESTED if depth < 3 else ():
        nested = node.get(key)
        if isinstance(nested, dict) and (
            problem := _who_and_where(nested, f"{where}{key}.", depth + 1)
        ):
            return problem
    return None


def check_shape(body: dict[str, Any]) -> None:
    """Raise Refused when a field Calma or Bolt reads has the wrong type."""
    if "command" in body:  # a slash command: form fields, always strings
        return
    kind = body.get("type")
    if not isinstance(kind, str):
        raise Refused(400, f"unsupported Slack request type {kind!r:.40}")
    if problem := _who_and_where(body, ""):
        raise Refused(200 if kind == "event_callback" else 400, problem)
    if kind != "event_callback":  # Bolt reads these on any request
        _check_authorizations(body, 400)
        _check(body, {"enterprise_id": STR, "team_id": STR, "event": OBJ}, "")
        _check(body, {"is_enterprise_install": "bool"}, "")
    if kind == "url_verification":
        _check(body, {"challenge": STR}, "")
    elif kind == "event_callback":
        try:
            _check(body, _ENVELOPE, "")
            _check_authorizations(body, 200)
            event = body.get("event")
            if event is None:
                raise Refused(200, "event_callback without an event")
            _check(event, _EVENT, "event.")
            if not isinstance(event.get("type"), str):
                raise Refused(200, "event without a type")
            if isinstance(event.get("tokens"), dict):
                _check(event["tokens"], {"bot": LIST, "oauth": LIST}, "event.tokens.")
            for key in ("message", "previous_message"):
                if isinstance(event.get(key), dict):
                    _check(event[key], _INNER_MESSAGE, f"event.{key}.")
        except Refused as refused:  # Slack retries anything but 2xx: acknowledge and drop
            raise Refused(200, refused.reason) from None
    elif kind in INTERACTIONS:
        _check(body, _INTERACTION, "")
        for key in ("user", "team", "channel", "enterprise"):
            if isinstance(body.get(key), dict):
                _check(body[key], _IDS, f"{key}.")
        if isinstance(body.get("view"), dict):
            _check(body["view"], _VIEW, "view.")
            state = body["view"].get("state")
            if isinstance(state, dict) and not isinstance(state.get("values", {}), dict):
                raise Refused(400, "view.state.values is not a object")
        if isinstance(body.get("message"), dict):
            _check(body["message"], _INNER_MESSAGE, "message.")
        if isinstance(body.get("container"), dict):
            _check(body["container"], _CONTAINER, "container.")
        for i, action in enumerate(body.get("actions") or []):
            if not isinstance(action, dict):
                raise Refused(400, f"actions[{i}] is not a object")
            _check(action, _ACTION, f"actions[{i}].")
            if not isinstance(action.get("action_id"), str):
                raise Refused(400, f"actions[{i}] without an action_id")
        if "response_urls" in body and not isinstance(body["response_urls"], list):
            raise Refused(400, "response_urls is not a list")
        for item in body.get("response_urls") or []:
            if not isinstance(item, dict):
                raise Refused(400, "response_urls holds a non-object")
        if kind == "block_actions" and not body.get("actions"):
            raise Refused(400, "block_actions without actions")
        if kind.startswith("view_") and not isinstance(body.get("view"), dict):
            raise Refused(400, f"{kind} without a view")
        if kind.startswith("view_") and not isinstance(body["view"].get("type"), str):
            raise Refused(400, f"{kind} without a view.type")
        if kind != "view_submission" and not isinstance(body.get("user"), dict):
            raise Refused(400, "interaction without a user")
