"""Bot Framework activities from Teams → the neutral model (IncomingMessage, Command, Action).

Who is a customer: Teams has no Slack Connect flag on a message. Customers are the users a lead
lists (`customers`, by Entra object id or "29:" id) and guests: an author whose `userRole` is
"guest"/"anonymous" or whose `tenantId` differs from the team's — fields Teams puts on member
records (TeamsInfo.get_member) and, in shared channels, on `from`. The door may enrich `from` or
`customers` from the member API; this module only reads what it is given.

What is a command: any text in the 1:1 personal chat; in a channel or group chat, a message that
@mentions the bot ("@Coach consejos") or starts with "/coach". Everything else in a channel is a
watched line (resource-specific consent delivers it without a mention).

People a command @mentions ("@Coach leads agregar @Ana López") become plain person ids in the
command text (`bot.model.person`, listed in `Command.people`), keyed as the door keys authors: the
entity's aadObjectId when Teams sent it, else their "29:" id (the door then asks the Bot Connector
for the member's aadObjectId before the service sees the command). Their display names stay in
the door (`mentioned_people`), which shows people in answers by name.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from adapters.teams import activity as act
from adapters.teams.html_text import html_to_text
from adapters.teams.links import message_link
from adapters.teams.render import ANSWER_INPUT
from bot import actions
from bot.model import Action, Command, IncomingMessage, people_in, person, without_markers

GUEST_ROLES = frozenset({"guest", "anonymous"})
_SLASH_COACH = re.compile(r"^/coach\b\s*", re.IGNORECASE)
_AT_TAG = re.compile(r"<at\b[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)

LifecycleKind = Literal["installed", "uninstalled", "members_added", "members_removed"]


@dataclass(frozen=True)
class ConversationEvent:
    """The app was (un)installed, or people (maybe the bot) joined or left a conversation."""

    kind: LifecycleKind
    workspace: str
    conversation: str
    conversation_type: str
    team: str | None
    members: tuple[str, ...]  # people's ids (Entra object id or "29:" id), the bot left out
    bot_involved: bool


TeamsEvent = IncomingMessage | Command | Action | ConversationEvent


@dataclass(frozen=True)
class Mention:
    """A person a message @mentions: the name its text shows, the id the door keys them by."""

    name: str  # as it appears in the text, e.g. "Ana López"
    user: str  # aadObjectId when the entity has it, else the "29:" id
    tag: str = ""  # the entity's own `<at>…</at>` markup, when it gave one


def translate(
    activity: Mapping[str, Any], *, customers: Collection[str] = frozenset()
) -> TeamsEvent | None:
    """The neutral event an activity stands for, or None when Calma has nothing to do with it."""
    kind = activity.get("type")
    if kind == "message":
        return _message(activity, customers, edited=False)
    if kind == "messageUpdate" and act.obj(activity.get("channelData")).get("eventType") == (
        "editMessage"
    ):
        return _message(activity, customers, edited=True)
    if kind == "conversationUpdate":
        return _conversation_update(activity)
    if kind == "installationUpdate":
        return _installation_update(activity)
    return None


def is_customer(activity: Mapping[str, Any], customers: Collection[str] = frozenset()) -> bool:
    """Listed by a lead, or a guest / a user of another tenant."""
    who = act.obj(activity.get("from"))
    if {act.text_of(who.get("aadObjectId")), act.text_of(who.get("id"))} & set(customers):
        return True
    if str(who.get("userRole") or "").lower() in GUEST_ROLES:
        return True
    their_tenant = act.text_of(who.get("tenantId"))
    return their_tenant is not None and their_tenant != act.tenant(activity)


def mentions_bot(activity: Mapping[str, Any]) -> bool:
    """The message @mentions this bot."""
    return bool(_bot_mentions(activity))


def message_text(activity: Mapping[str, Any], *, people: bool = False) -> str:
    """The message as plain text: the bot's <at> mention removed, HTML stripped and unescaped.

    With `people` (a command), every other mention becomes the neutral `person(id)` (markers
    typed by the user are dropped first, so only mentions are people).
    """
    raw = act.text_of(activity.get("text")) or ""
    if people:
        raw = without_markers(raw)
        for who in mentioned_people(activity):
            mark = person(who.user)
            for markup in (who.tag, f"<at>{html.escape(who.name, quote=False)}</at>"):
                if markup:
                    raw = raw.replace(markup, mark)
    for mention in _bot_mentions(activity):
        if tag := act.text_of(mention.get("text")):
            raw = raw.replace(tag, " ")
        if name := act.text_of(act.obj(mention.get("mentioned")).get("name")):
            raw = re.sub(rf"<at[^>]*>\s*{re.escape(name)}\s*</at>", " ", raw, flags=re.IGNORECASE)
    return html_to_text(raw)


def mentioned_people(activity: Mapping[str, Any]) -> tuple[Mention, ...]:
    """Everyone the message @mentions except the bot: the name as the text shows it, and the id
    the door keys that person by (aadObjectId when the entity has it, else the "29:" id)."""
    bot = act.bot_id(activity)
    people: dict[tuple[str, str], Mention] = {}
    for entity in _mention_entities(activity):
        mentioned = act.obj(entity.get("mentioned"))
        member = act.text_of(mentioned.get("id"))
        if member is None or member == bot:
            continue
        user = act.text_of(mentioned.get("aadObjectId")) or member
        markup = (act.text_of(entity.get("text")) or "").strip()
        tag = _AT_TAG.fullmatch(markup)
        name = html_to_text(tag.group(1) if tag else act.text_of(mentioned.get("name")) or "")
        if name and (name, user) not in people:
            people[name, user] = Mention(name=name, user=user, tag=markup if tag else "")
    return tuple(people.values())


def _mention_entities(activity: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [
        act.obj(e) for e in activity.get("entities") or () if act.obj(e).get("type") == "mention"
    ]


def _bot_mentions(activity: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    bot = act.bot_id(activity)
    return [
        e
        for e in _mention_entities(activity)
        if bot is not None and act.obj(e.get("mentioned")).get("id") == bot
    ]


def _message(
    activity: Mapping[str, Any], customers: Collection[str], *, edited: bool
) -> IncomingMessage | Command | Action | None:
    user = act.sender(activity)
    if not user.id or user.id == act.bot_id(activity):
        return None
    personal = act.conversation_type(activity) == "personal"
    channel = None if personal else act.channel_id(activity)
    value = activity.get("value")
    if isinstance(value, Mapping):
        return _action(activity, value, channel)
    text = message_text(activity)
    if not edited and (personal or mentions_bot(activity) or _SLASH_COACH.match(text)):
        direct = personal and not mentions_bot(activity) and not _SLASH_COACH.match(text)
        line = message_text(activity, people=True)
        return Command(
            platform="teams",
            workspace=user.tenant,
            channel=channel,
            author=user.key,
            text=_SLASH_COACH.sub("", line, count=1).strip(),
            people=tuple(dict.fromkeys(people_in(line))),
            ts=act.timestamp(activity),
            thread=act.thread_root(activity),
            locale=act.locale(activity),
            author_tz=act.timezone(activity),
            event_id=activity_event(activity),
            direct=direct,
        )
    if not text or channel is None:
        return None
    ts = act.timestamp(activity)
    message_id = act.text_of(activity.get("id")) or ""
    return IncomingMessage(
        platform="teams",
        workspace=user.tenant,
        channel=channel,
        thread=act.thread_root(activity),
        author=user.key,
        is_customer=is_customer(activity, customers),
        text=text,
        ts=ts,
        event_id=_message_event(message_id, ts, edited=edited),
        message_ref=message_id or None,
        permalink=message_link(activity),
        author_tz=act.timezone(activity),
        locale=act.locale(activity),
        edited=edited,
    )


def _action(
    activity: Mapping[str, Any], value: Mapping[str, Any], channel: str | None
) -> Action | None:
    name = act.text_of(value.get("action"))
    if name is None:
        return None
    argument = value.get(ANSWER_INPUT if name == actions.ANSWER else "value")
    return Action(
        platform="teams",
        workspace=act.tenant(activity),
        channel=channel,
        author=act.sender(activity).key,
        action=name,
        value="" if argument is None else str(argument),
        ts=act.timestamp(activity),
        locale=act.locale(activity),
        event_id=activity_event(activity),
    )


def activity_event(activity: Mapping[str, Any]) -> str | None:
    """The dedupe key of an activity the bot answers: Teams redelivers an activity by its id."""
    activity_id = act.text_of(activity.get("id"))
    return None if activity_id is None else f"activity:{activity_id}"


def replay_keys(activity: Mapping[str, Any]) -> list[str]:
    """Every seen key a turn of this activity may have recorded: its dedupe key as a command or
    an action, and as a message (or a message's edit). A replay from the inbox forgets them all,
    or the service would take the replay for a redelivery and drop it."""
    activity_id = act.text_of(activity.get("id"))
    if activity_id is None:
        return []
    keys = [f"activity:{activity_id}", _message_event(activity_id, None, edited=False)]
    with contextlib.suppress(act.MalformedActivity):
        keys.append(_message_event(activity_id, act.timestamp(activity), edited=True))
    return keys


def _message_event(message_id: str, ts: datetime | None, *, edited: bool) -> str:
    """The dedupe key of a message, or of one edit of it (an edit is keyed by its time)."""
    return f"{message_id}:edit:{ts.isoformat()}" if edited and ts is not None else message_id


def _people(activity: Mapping[str, Any], field: str) -> tuple[tuple[str, ...], bool]:
    bot = act.bot_id(activity)
    people: list[str] = []
    bot_involved = False
    for member in activity.get(field) or ():
        member = act.obj(member)
        if member.get("id") == bot:
            bot_involved = True
        elif key := act.text_of(member.get("aadObjectId")) or act.text_of(member.get("id")):
            people.append(key)
    return tuple(people), bot_involved


def _conversation_update(activity: Mapping[str, Any]) -> ConversationEvent | None:
    changes: tuple[tuple[str, LifecycleKind], ...] = (
        ("membersAdded", "members_added"),
        ("membersRemoved", "members_removed"),
    )
    for field, kind in changes:
        people, bot_involved = _people(activity, field)
        if people or bot_involved:
            return _event(activity, kind, people, bot_involved)
    return None


def _installation_update(activity: Mapping[str, Any]) -> ConversationEvent | None:
    action = str(activity.get("action") or "")
    if action.startswith("add"):
        return _event(activity, "installed", (), True)
    if action.startswith("remove"):
        return _event(activity, "uninstalled", (), True)
    return None


def _event(
    activity: Mapping[str, Any], kind: LifecycleKind, people: tuple[str, ...], bot: bool
) -> ConversationEvent:
    return ConversationEvent(
        kind=kind,
        workspace=act.tenant(activity),
        conversation=act.conversation_id(activity),
        conversation_type=act.conversation_type(activity),
        team=act.team_id(activity),
        members=people,
        bot_involved=bot,
    )
