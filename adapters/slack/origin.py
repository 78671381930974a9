"""Where an interaction came from, so a reply (an UpdateOriginal, a modal) can go back there."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Container = Literal["message", "ephemeral", "view"]


@dataclass(frozen=True)
class Origin:
    """The handles an interaction carries: trigger for modals, response_url, message, view."""

    kind: str  # block_actions, message_action, shortcut, view_submission…
    trigger_id: str | None
    response_url: str | None
    channel: str | None
    message_ts: str | None
    container: Container | None
    view_id: str | None
    view_hash: str | None


def dig(data: Any, *path: str) -> Any:
    """`data[p0][p1]…`, or None as soon as a step is missing."""
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _container(body: Mapping[str, Any]) -> Container | None:
    """What holds the pressed button: a message, an ephemeral message, or a view (modal, Home)."""
    kind = dig(body, "container", "type")
    if kind == "view" or body.get("view"):
        return "view"
    if kind == "message":
        return "ephemeral" if dig(body, "container", "is_ephemeral") else "message"
    return None


def interaction_origin(body: Mapping[str, Any]) -> Origin:
    """The reply handles of any interaction payload (block_actions, shortcuts, view_submission)."""
    response_url = body.get("response_url")
    if response_url is None and body.get("response_urls"):
        response_url = body["response_urls"][0].get("response_url")
    return Origin(
        kind=str(body.get("type", "")),
        trigger_id=body.get("trigger_id"),
        response_url=response_url,
        channel=dig(body, "channel", "id") or dig(body, "container", "channel_id"),
        message_ts=dig(body, "container", "message_ts") or dig(body, "message", "ts"),
        container=_container(body),
        view_id=dig(body, "view", "id"),
        view_hash=dig(body, "view", "hash"),
    )
