"""Pure functions from Slack payload dicts to the neutral model (`bot.model`); no I/O, no Bolt."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from adapters.slack import ids
from adapters.slack.text import readable, sane
from bot.model import Action, Command, IncomingMessage, people_in, person

Payload = Mapping[str, Any]

# Subtypes that are a person writing; the rest (joins, deletions, bots, topic changes…) are not.
_AUTHORED_SUBTYPES = frozenset({None, "thread_broadcast", "file_share", "me_message"})
# DMs with Coach and group DMs are not customer channels: they are never coached. A DM with Coach
# (message.im) is read as a line typed to Coach in private: a command, or an answer to its question.
_PRIVATE_CHANNEL_TYPES = frozenset({"im", "mpim", "app_home"})
_DUPLICATE_SUFFIX = re.compile(r"~\d+$")  # render.py makes repeated action ids unique this way


def slack_time(ts: str) -> datetime:
    """A Slack ts ("1712345678.123456") as an aware UTC datetime, exact to the microsecond."""
    seconds, _, fraction = ts.partition(".")
    micro = int((fraction + "000000")[:6])
    return datetime.fromtimestamp(int(seconds), UTC).replace(microsecond=micro)


def _str(data: Payload | None, key: str) -> str | None:
    """`data[key]` when it is a non-empty string."""
    value = data.get(key) if data else None
    return value if isinstance(value, str) and value else None


def _sub(data: Payload | None, key: str) -> Payload | None:
    """`data[key]` when it is an object."""
    value = data.get(key) if data else None
    return value if isinstance(value, Mapping) else None


def _thread(message: Payload) -> str | None:
    """The parent's ts for a reply; None for a top-level message or a thread's own parent."""
    thread_ts, ts = _str(message, "thread_ts"), _str(message, "ts")
    return thread_ts if thread_ts and thread_ts != ts else None


def _by_bot(message: Payload, bot_user_id: str | None) -> bool:
    """True for messages posted by any bot or app, including Coach itself."""
    user = _str(message, "user")
    return bool(message.get("bot_id")) or user is None or user == bot_user_id


def _is_customer(message: Payload, outer: Payload, customers: set[str], workspace: str) -> bool:
    """Slack Connect external members (another `user_team`) or users a lead listed are customers."""
    if _str(message, "user") in customers:
        return True
    team = _str(message, "user_team") or _str(message, "team") or _str(outer, "user_team")
    return team is not None and team != workspace


def message_event_to_incoming(
    event_body: Payload,
    *,
    customers: set[str],
    bot_user_id: str | None,
    workspace_team: str,
) -> IncomingMessage | None:
    """An `event_callback` envelope with a `message` event → IncomingMessage, or None to ignore it.

    Edits (`message_changed`) come back with `edited=True` and an event id made of the message ts
    and the edit's ts, so Slack's retries and link-unfurl updates of one edit are checked once.
    """
    event = _sub(event_body, "event")
    if event is None or event.get("type") != "message":
        return None
    if _str(event, "channel_type") in _PRIVATE_CHANNEL_TYPES:
        return None
    subtype, edited = _str(event, "subtype"), False
    event_id = _str(event_body, "event_id")
    message: Payload = event
    if subtype == "message_changed":
        new, old = _sub(event, "message"), _sub(event, "previous_message")
        if new is None or _str(new, "subtype") or _str(new, "text") == _str(old, "text"):
            return None
        message, edited = new, True
        edit_ts = _str(_sub(new, "edited"), "ts") or _str(event, "event_ts")
        event_id = f"edit:{_str(event, 'channel')}:{_str(new, 'ts')}:{edit_ts}"
    elif subtype not in _AUTHORED_SUBTYPES or event.get("hidden"):
        return None
    if _by_bot(message, bot_user_id):
        return None
    text, ts, channel = _str(message, "text"), _str(message, "ts"), _str(event, "channel")
    author = _str(message, "user")
    if not (text and text.strip() and ts and channel and author and event_id):
        return None
    return IncomingMessage(
        platform="slack",
        workspace=workspace_team,
        channel=channel,
        thread=_thread(message),
        author=author,
        is_customer=_is_customer(message, event, customers, workspace_team),
        text=readable(text),
        ts=slack_time(ts),
        event_id=event_id,
        message_ref=ts,
        edited=edited,
    )


def command_text(raw: str, bot_user_id: str | None = None) -> tuple[str, tuple[str, ...]]:
    """A command's Slack text in the neutral form: each `<@U…|name>` the person `U…`, a leading
    mention of Coach itself dropped; and the ids of the people it names."""
    text = readable(raw, people=True).strip()
    if bot_user_id and text.startswith(mine := person(bot_user_id)):
        text = text[len(mine) :].strip()
    return text, tuple(dict.fromkeys(people_in(text)))


def direct_message_to_command(event_body: Payload, *, bot_user_id: str | None) -> Command | None:
    """A person's new line in their DM with Coach → a direct Command; None for anything else."""
    event = _sub(event_body, "event")
    if event is None or event.get("type") != "message" or _str(event, "channel_type") != "im":
        return None
    if _str(event, "subtype") not in (None, "file_share") or event.get("hidden"):
        return None
    if _by_bot(event, bot_user_id):
        return None
    text, ts, author = _str(event, "text"), _str(event, "ts"), _str(event, "user")
    event_id = _str(event_body, "event_id")
    if not (text and text.strip() and ts and author and event_id):
        return None
    line, people = command_text(text, bot_user_id)
    return Command(
        platform="slack",
        workspace=str(event_body.get("team_id") or _str(event, "team") or ""),
        channel=None,  # answered in the same DM
        author=author,
        text=line,
        people=people,
        ts=slack_time(ts),
        event_id=f"im:{event_id}",
        direct=True,
    )


def slash_command_to_command(body: Payload, *, now: datetime | None = None) -> Command:
    """A `/coach` slash-command form body → Command; each `<@U…>` in it is a person."""
    text, people = command_text(str(body.get("text", "")))
    return Command(
        platform="slack",
        workspace=str(body.get("team_id", "")),
        channel=_str(body, "channel_id"),
        author=str(body.get("user_id", "")),
        text=text,
        people=people,
        ts=now or datetime.now(UTC),
    )


def app_mention_to_command(event_body: Payload, *, bot_user_id: str | None) -> Command | None:
    """`@Coach consejos` in a channel → Command answered in the mention's thread; None from bots."""
    event = _sub(event_body, "event")
    if event is None or event.get("type") != "app_mention" or _by_bot(event, bot_user_id):
        return None
    ts, channel = _str(event, "ts"), _str(event, "channel")
    if not ts or not channel:
        return None
    text, people = command_text(str(event.get("text", "")), bot_user_id)
    event_id = _str(event_body, "event_id")
    return Command(
        platform="slack",
        workspace=str(event_body.get("team_id", "")),
        channel=channel,
        author=str(event["user"]),
        text=text,
        people=people,
        ts=slack_time(ts),
        thread=_str(event, "thread_ts") or ts,
        event_id=f"mention:{event_id}" if event_id else None,  # Slack retries an unacked event
    )


def _team(body: Payload) -> str:
    """The workspace of an interaction payload."""
    return _str(_sub(body, "team"), "id") or _str(_sub(body, "user"), "team_id") or ""


def _channel(body: Payload) -> str | None:
    """The conversation of an interaction payload, when it happened in one."""
    return _str(_sub(body, "channel"), "id") or _str(_sub(body, "container"), "channel_id")


def _interaction_time(body: Payload, *, now: datetime | None) -> datetime:
    """When the user acted: `action_ts` when Slack gives it, else the time of receipt."""
    actions = body.get("actions") or [{}]
    ts = _str(actions[0], "action_ts") or _str(body, "action_ts")
    return slack_time(ts) if ts else now or datetime.now(UTC)


def block_action_to_action(body: Payload, *, now: datetime | None = None) -> Action | None:
    """A `block_actions` payload (a button on a Calma card) → Action; None for anything else."""
    actions = body.get("actions")
    if body.get("type") != "block_actions" or not actions:
        return None
    first: Payload = actions[0]
    action_id = _str(first, "action_id")
    user = _str(_sub(body, "user"), "id")
    if not action_id or not user:
        return None
    value = _str(first, "value") or _str(_sub(first, "selected_option"), "value") or ""
    return Action(
        platform="slack",
        workspace=_team(body),
        channel=_channel(body),
        author=user,
        action=_DUPLICATE_SUFFIX.sub("", action_id),
        value=value,
        ts=_interaction_time(body, now=now),
        locale=_str(_sub(body, "user"), "locale"),
    )


def _check(body: Payload, text: str, channel: str | None, now: datetime | None) -> Command:
    """A draft check as the `/coach revisar <texto>` command the grammar already reads."""
    return Command(
        platform="slack",
        workspace=_team(body),
        channel=channel,
        author=_str(_sub(body, "user"), "id") or "",
        text=f"{ids.CHECK_KEYWORD} {sane(text).strip()}",
        ts=_interaction_time(body, now=now),
    )


def shortcut_to_check(body: Payload, *, now: datetime | None = None) -> Command | None:
    """The "Revisar con Coach" message shortcut → a `revisar` Command over that message's text.

    None for the global shortcut (it opens the draft modal first) and for empty messages.
    """
    if body.get("type") != "message_action":
        return None
    if body.get("callback_id") != ids.SHORTCUT_CHECK_MESSAGE:
        return None
    text = readable(str((_sub(body, "message") or {}).get("text", "")))
    if not text.strip():
        return None
    return _check(body, text, _channel(body), now)


def view_submission_to_check(body: Payload, *, now: datetime | None = None) -> Command | None:
    """The draft modal's submission → a `revisar` Command over the typed draft (no channel)."""
    view = _sub(body, "view")
    if body.get("type") != "view_submission" or _str(view, "callback_id") != ids.VIEW_DRAFT:
        return None
    values = _sub(_sub(view, "state"), "values")
    field = _sub(_sub(values, ids.BLOCK_DRAFT), ids.ACTION_DRAFT_TEXT)
    draft = _str(field, "value")
    if not draft or not draft.strip():
        return None
    return _check(body, draft, None, now)


def is_own_message(body: Payload) -> bool:
    """True when a message shortcut was used on a message the user wrote."""
    author = _str(_sub(body, "message"), "user")
    return author is not None and author == _str(_sub(body, "user"), "id")


def home_opened_user(event_body: Payload) -> tuple[str, str] | None:
    """(workspace, user) of an `app_home_opened` on the Home tab; None for the Messages tab."""
    event = _sub(event_body, "event")
    if event is None or event.get("type") != "app_home_opened" or event.get("tab") != "home":
        return None
    user = _str(event, "user")
    team = _str(event_body, "team_id")
    return (team, user) if user and team else None


def url_verification_challenge(body: Payload) -> str | None:
    """The `challenge` to echo for Slack's `url_verification` handshake (HTTP mode)."""
    return _str(body, "challenge") if body.get("type") == "url_verification" else None
