"""Reading fields of a Bot Framework activity dict (JSON as Teams sends it), tolerant of gaps."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from bot.message_time import FIRST_YEAR, LAST_YEAR, in_calendar

Activity = Mapping[str, Any]


class MalformedActivity(ValueError):
    """The activity lacks a field Calma cannot do without (its timestamp)."""


@dataclass(frozen=True)
class TeamsUser:
    """Who wrote an activity, with what a later proactive 1:1 chat needs."""

    id: str  # the bot-scoped "29:…" id that create_conversation takes
    aad_object_id: str | None
    name: str | None
    tenant: str
    service_url: str | None

    @property
    def key(self) -> str:
        """The neutral author id: the Entra object id when Teams gives it, else the channel id."""
        return self.aad_object_id or self.id


MAX_DEPTH = 32  # an activity nests a dozen levels at most


def body_problem(raw: Any) -> str | None:
    """Why a parsed body cannot be an activity (not an object, too deep, a lone surrogate)."""
    if not isinstance(raw, dict):
        return "body is not a JSON object"
    depth, level = 0, [raw]
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return "body nests too deep"
        nested: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nested.extend(item.keys())
                nested.extend(item.values())
            elif isinstance(item, list):
                nested.extend(item)
            elif isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return "body holds a lone surrogate (not valid UTF-8)"
        level = nested
    return None


_STR, _OBJ, _LIST = (str,), (dict,), (list,)
_CONTROL = re.compile("[\x00-\x1f\x7f]")  # never in an id; would break an outbound header
_FIELDS: dict[str, tuple[type, ...]] = {
    "type": _STR,
    "id": _STR,
    "serviceUrl": _STR,
    "channelId": _STR,
    "timestamp": _STR,
    "localTimestamp": _STR,
    "locale": _STR,
    "text": _STR,
    "textFormat": _STR,
    "replyToId": _STR,
    "action": _STR,
    "name": _STR,
    "from": _OBJ,
    "recipient": _OBJ,
    "conversation": _OBJ,
    "channelData": _OBJ,
    "entities": _LIST,
    "attachments": _LIST,
    "membersAdded": _LIST,
    "membersRemoved": _LIST,
}
_ACCOUNT: dict[str, tuple[type, ...]] = {
    "id": _STR,
    "name": _STR,
    "aadObjectId": _STR,
    "tenantId": _STR,
    "conversationType": _STR,
}


def shape_problem(raw: Mapping[str, Any]) -> str | None:
    """The first field botbuilder or Calma reads that has the wrong JSON type, in words."""
    for key, kinds in _FIELDS.items():
        value = raw.get(key)
        if value is not None and not isinstance(value, kinds):
            return f"{key} has the wrong type"
    for key in ("from", "recipient", "conversation"):
        for field, kinds in _ACCOUNT.items():
            value = obj(raw.get(key)).get(field)
            if value is not None and not isinstance(value, kinds):
                return f"{key}.{field} has the wrong type"
            if field == "id" and isinstance(value, str) and _CONTROL.search(value):
                return f"{key}.id holds a control character"
    if not text_of(obj(raw.get("conversation")).get("id")):
        return "activity without conversation.id"
    for key in ("membersAdded", "membersRemoved", "entities", "attachments"):
        if not all(isinstance(item, dict) for item in raw.get(key) or []):
            return f"{key} holds something other than objects"
    for member in [*(raw.get("membersAdded") or []), *(raw.get("membersRemoved") or [])]:
        if not isinstance(member.get("id"), str):
            return "a member without an id"
    return None


def obj(value: Any) -> Mapping[str, Any]:
    """The value when it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def text_of(value: Any) -> str | None:
    """The value when it is a non-empty string, else None."""
    return value if isinstance(value, str) and value else None


def tenant(activity: Activity) -> str:
    """The tenant id: channelData.tenant.id, then conversation.tenantId, then the channel id."""
    return (
        text_of(obj(obj(activity.get("channelData")).get("tenant")).get("id"))
        or text_of(obj(activity.get("conversation")).get("tenantId"))
        or text_of(activity.get("channelId"))  # the Emulator sends no tenant
        or "unknown"
    )


def conversation_id(activity: Activity) -> str:
    """The conversation id, with any ";messageid=" thread suffix."""
    return text_of(obj(activity.get("conversation")).get("id")) or ""


def conversation_type(activity: Activity) -> str:
    """ "personal", "channel" or "groupChat" (Teams); "personal" when absent."""
    return text_of(obj(activity.get("conversation")).get("conversationType")) or "personal"


def channel_id(activity: Activity) -> str:
    """The channel id without thread suffix (channelData.channel.id), else the conversation id."""
    channel = text_of(obj(obj(activity.get("channelData")).get("channel")).get("id"))
    return channel or conversation_id(activity).split(";", 1)[0]


def thread_root(activity: Activity) -> str | None:
    """The root message id of a channel thread, from the conversation id's ";messageid=" part."""
    _, sep, root = conversation_id(activity).partition(";messageid=")
    return (root or None) if sep else None


def team_id(activity: Activity) -> str | None:
    """The team id, for channel activities."""
    return text_of(obj(obj(activity.get("channelData")).get("team")).get("id"))


def sender(activity: Activity) -> TeamsUser:
    """The author of the activity."""
    who = obj(activity.get("from"))
    return TeamsUser(
        id=text_of(who.get("id")) or "",
        aad_object_id=text_of(who.get("aadObjectId")),
        name=text_of(who.get("name")),
        tenant=tenant(activity),
        service_url=text_of(activity.get("serviceUrl")),
    )


def bot_id(activity: Activity) -> str | None:
    """The bot's own id in this conversation ("28:…"): the recipient of inbound activities."""
    return text_of(obj(activity.get("recipient")).get("id"))


def _client_info(activity: Activity) -> Mapping[str, Any]:
    for entity in activity.get("entities") or ():
        if obj(entity).get("type") == "clientInfo":
            return obj(entity)
    return {}


def timezone(activity: Activity) -> str | None:
    """The author's IANA time zone: localTimezone, else the clientInfo entity's timezone."""
    return text_of(activity.get("localTimezone")) or text_of(_client_info(activity).get("timezone"))


def locale(activity: Activity) -> str | None:
    """The author's locale ("es-MX"): the activity's, else the clientInfo entity's."""
    return text_of(activity.get("locale")) or text_of(_client_info(activity).get("locale"))


def timestamp(activity: Activity) -> datetime:
    """When the activity happened (aware); Teams sends up to 7 fractional digits and a "Z"."""
    raw = text_of(activity.get("timestamp")) or text_of(activity.get("localTimestamp"))
    if raw is None:
        raise MalformedActivity("activity without timestamp")
    try:
        ts = datetime.fromisoformat(raw)
    except ValueError as error:
        raise MalformedActivity(f"bad timestamp {raw!r}") from error
    if ts.tzinfo is None:
        raise MalformedActivity(f"timestamp without offset {raw!r}")
    if not in_calendar(ts):
        raise MalformedActivity(f"timestamp outside the years {FIRST_YEAR}-{LAST_YEAR} {raw!r}")
    return ts


def service_url_problem(value: Any) -> str | None:
    """Why a serviceUrl cannot be sent to (not an http(s) URL with a host), or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        return "serviceUrl is not a string"
    try:
        url = urlsplit(value)
        url.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "serviceUrl is not a URL"
    if url.scheme not in ("http", "https") or not url.hostname:
        return "serviceUrl must be an http or https URL"
    return None


def require_fields(activity: Activity) -> None:
    """Raise MalformedActivity when a message lacks what answering it needs."""
    if activity.get("type") not in ("message", "messageUpdate"):
        return
    missing = [
        name
        for name, value in (
            ("from.id", obj(activity.get("from")).get("id")),
            ("conversation.id", obj(activity.get("conversation")).get("id")),
            ("serviceUrl", activity.get("serviceUrl")),
        )
        if text_of(value) is None
    ]
    if missing:
        raise MalformedActivity("activity without " + ", ".join(missing))
    timestamp(activity)
