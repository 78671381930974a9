"""Deep links back to a Teams message, so a reminder can open the line where the promise was made.

A channel message: https://teams.microsoft.com/l/message/{channelId}/{messageId}?tenantId=…
&groupId=…&parentMessageId=… (the thread's root; the message itself when it is the root).
A group chat message: …/l/message/{chatId}/{messageId}?context={"contextType":"chat"}.
A 1:1 chat message gets no link (its promise is a command, never a watched line).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from adapters.teams import activity as act

TEAMS_MESSAGE = "https://teams.microsoft.com/l/message/"
_PATH_SAFE = ":@"  # Teams' own "Copy link" keeps these raw in the path


def _base(conversation: str, message_id: str) -> str:
    return TEAMS_MESSAGE + quote(conversation, safe=_PATH_SAFE) + "/" + quote(message_id, safe="")


def message_link(activity: Mapping[str, Any]) -> str | None:
    """The Teams link to the activity's message, or None when the activity lacks what it needs."""
    message_id = act.text_of(activity.get("id"))
    kind = act.conversation_type(activity)
    if message_id is None or kind == "personal":
        return None
    if kind == "channel":
        channel = act.channel_id(activity)
        if not channel.startswith("19:"):
            return None
        query = {"tenantId": act.tenant(activity)}
        team = act.obj(act.obj(activity.get("channelData")).get("team"))
        if group := act.text_of(team.get("aadGroupId")):
            query["groupId"] = group
        query["parentMessageId"] = act.thread_root(activity) or message_id
        return _base(channel, message_id) + "?" + urlencode(query)
    if kind == "groupChat":
        chat = act.conversation_id(activity).split(";", 1)[0]
        if not chat.startswith("19:"):
            return None
        context = json.dumps({"contextType": "chat"}, separators=(",", ":"))
        return _base(chat, message_id) + "?" + urlencode({"context": context})
    return None
