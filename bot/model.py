"""The neutral model: what every door (console, Slack, Teams) turns its events into, and the
replies it renders back. Adapters translate; `bot/` decides."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Platform = Literal["console", "slack", "teams"]


@dataclass(frozen=True)
class IncomingMessage:
    """A line written in a watched conversation."""

    platform: Platform
    workspace: str
    channel: str
    thread: str | None
    author: str
    is_customer: bool
    text: str
    ts: datetime
    event_id: str
    message_ref: str | None = None  # the platform's id of the message (Slack ts, Teams activity id)
    permalink: str | None = None
    author_tz: str | None = None  # IANA name, when the platform tells
    locale: str | None = None  # e.g. "es-MX", "en-US"
    edited: bool = False


@dataclass(frozen=True)
class Mention:
    """A person mentioned in a command whose text shows only their display name (Teams)."""

    name: str  # as it appears in the text, e.g. "Ana López"
    user: str  # the id the door uses as `author` for that person


@dataclass(frozen=True)
class Command:
    """A `/coach …` command (or `@Coach …`) with its raw argument text.

    Slack's text carries mentions as `<@U123|name>`; a door whose text keeps only the display
    name (Teams, after its `<at>` tags are stripped) lists the mentioned people in `mentions`.
    """

    platform: Platform
    workspace: str
    channel: str | None
    author: str
    text: str
    ts: datetime
    thread: str | None = None
    is_admin: bool = False  # the platform says this user installed the app or administers it
    locale: str | None = None
    author_tz: str | None = None
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Action:
    """A button press on a card Calma sent: `action` names it, `value` carries its argument."""

    platform: Platform
    workspace: str
    channel: str | None
    author: str
    action: str
    value: str
    ts: datetime
    locale: str | None = None


# ---- replies: data that adapters render (Block Kit, Adaptive Cards, console text) ----


@dataclass(frozen=True)
class Button:
    action: str
    value: str
    label: str
    style: Literal["primary", "danger"] | None = None


@dataclass(frozen=True)
class Section:
    """A paragraph of plain text (adapters escape it), optionally with a bold heading."""

    text: str
    heading: str | None = None


@dataclass(frozen=True)
class Card:
    """What a reply shows: a title, a quoted excerpt, paragraphs, a link and buttons."""

    title: str
    sections: tuple[Section, ...] = ()
    quote: str | None = None
    link: str | None = None
    link_label: str | None = None
    buttons: tuple[Button, ...] = ()
    note: str | None = None  # a quiet footnote, e.g. the related tip or "only you see this"

    def plain_text(self) -> str:
        """The card as plain text, for notifications and the console."""
        lines = [self.title]
        if self.quote:
            lines.append(f"> {self.quote}")
        for s in self.sections:
            lines.append(f"{s.heading}: {s.text}" if s.heading else s.text)
        if self.note:
            lines.append(self.note)
        if self.link:
            lines.append(self.link)
        return "\n".join(lines)


@dataclass(frozen=True)
class PrivateNudge:
    """Coaching about the author's own line: seen by the author only, in that conversation."""

    platform: Platform
    workspace: str
    user: str
    channel: str
    thread: str | None
    card: Card
    nudge_id: int


@dataclass(frozen=True)
class PrivateNotice:
    """Any other private answer to one user in a conversation (command answers, notes)."""

    platform: Platform
    workspace: str
    user: str
    channel: str | None
    thread: str | None
    card: Card


@dataclass(frozen=True)
class Post:
    """A public message in a channel or thread (only ever tips a lead chose to share)."""

    platform: Platform
    workspace: str
    channel: str
    thread: str | None
    card: Card


@dataclass(frozen=True)
class DirectMessage:
    """A message in the user's 1:1 chat with Coach (reminders)."""

    platform: Platform
    workspace: str
    user: str
    card: Card
    reminder_id: int | None = None
    # Where the promise was made, so a door can link to it (Slack: chat.getPermalink).
    channel: str | None = None
    message_ref: str | None = None


@dataclass(frozen=True)
class UpdateOriginal:
    """Replace the card whose button was pressed."""

    card: Card


Reply = PrivateNudge | PrivateNotice | Post | DirectMessage | UpdateOriginal


@dataclass
class Outcome:
    """What the service asks a door to do for one event."""

    replies: list[Reply] = field(default_factory=list)
