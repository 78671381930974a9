"""The neutral model: what every door (console, Slack, Teams) turns its events into, and the
replies it renders back. Adapters translate; `bot/` decides."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

Platform = Literal["console", "slack", "teams"]

# ---- people named in replies ----
#
# A reply names a person with `person(user_id)`: the id between two private-use characters that
# no platform sends (incoming text is stripped of them, bot/service/scrub.py). Each door renders
# the mark its own way (Slack `<@U123>`, Teams the display name, console the id) and never shows
# the markers themselves.

PERSON_OPEN = "\ue000"
PERSON_CLOSE = "\ue001"
MARKERS = PERSON_OPEN + PERSON_CLOSE
_PERSON = re.compile(f"{PERSON_OPEN}([^{MARKERS}]*){PERSON_CLOSE}")
_MARKER = re.compile(f"[{MARKERS}]")


def without_markers(text: str) -> str:
    """`text` with every person marker removed (what incoming text is reduced to)."""
    return _MARKER.sub("", text)


def person(user_id: str) -> str:
    """The mark that names a person in a reply; each door shows it as that person."""
    return f"{PERSON_OPEN}{without_markers(user_id)}{PERSON_CLOSE}"


@dataclass(frozen=True)
class Person:
    """A person named in a reply's text."""

    user: str


def split_people(text: str) -> list[str | Person]:
    """`text` as plain parts (str) and the people it names, in order; stray markers dropped."""
    parts: list[str | Person] = []
    last = 0
    for m in _PERSON.finditer(text):
        if m.start() > last:
            parts.append(without_markers(text[last : m.start()]))
        parts.append(Person(m.group(1)))
        last = m.end()
    if last < len(text):
        parts.append(without_markers(text[last:]))
    return [p for p in parts if p != ""]


def people_in(text: str) -> list[str]:
    """The ids of the people `text` names."""
    return [m.group(1) for m in _PERSON.finditer(text)]


def keep_people(text: str, people: Collection[str]) -> str:
    """`text` with the marks of `people` kept and every other marker dropped (an id typed
    between markers stays as plain text)."""
    return "".join(
        p if isinstance(p, str) else person(p.user) if p.user in people else p.user
        for p in split_people(text)
    )


def name_people(text: str, name: Callable[[str], str]) -> str:
    """`text` with each person shown as `name(id)`; never any marker left."""
    return "".join(
        p if isinstance(p, str) else without_markers(name(p.user)) for p in split_people(text)
    )


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
    # The door's inbox let this event id through once already (its key is the event id, unique
    # among the inbox's rows): the service records no seen mark of its own for it.
    deduplicated: bool = False


@dataclass(frozen=True)
class Command:
    """A `/coach …` command (or `@Coach …`) with its argument text, in the neutral form.

    Each person the line names is `person(id)` in `text` and listed in `people`: the door turns
    its own mention syntax (Slack `<@U123|ana>`, Teams `<at>Ana</at>` and its entities, the
    console's `@ana`) into that, so the grammar and the service read plain person ids only. A
    mark whose id is not in `people` is dropped by the service (no one can type a person).
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
    people: tuple[str, ...] = ()
    event_id: str | None = None  # the platform's id for this event: a redelivery is answered once
    # A plain line typed to Coach in private (Teams 1:1, Slack DM, the console while Coach waits
    # for an answer), not after "/coach": it may answer the question Coach asked last.
    direct: bool = False


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
    event_id: str | None = None  # the platform's id for this press: a redelivery is answered once


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
class Series:
    """One named row of values of a chart, one value per label."""

    name: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Chart:
    """Grouped bars: each label has one bar per series (a digest: this period and the one before).

    Doors draw it their own way: a PNG (Slack, the console), Teams' chart element, inline SVG.
    """

    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    alt: str = ""  # the chart in words, for screen readers and hosts that draw no charts


@dataclass(frozen=True)
class Ask:
    """A field to type the answer to the card's question: a Slack modal (opened by a button), a
    Teams input with its submit button. The typed text comes back as the Action `action`."""

    action: str
    title: str  # the form's title where the platform shows one (a Slack modal: 24 characters)
    label: str  # what to type
    placeholder: str  # an example answer
    submit: str  # the button that sends it
    open: str  # the button that opens the form (Slack)


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
    chart: Chart | None = None  # figures drawn beside the text (a lead's digest)
    ask: Ask | None = None  # a field to type the answer (the next private line answers too)

    def with_people(self, name: Callable[[str], str]) -> Card:
        """The card with every person it names shown as `name(id)` (no markers left)."""

        def show(text: str) -> str:
            return name_people(text, name)

        def maybe(text: str | None) -> str | None:
            return None if text is None else show(text)

        return replace(
            self,
            title=show(self.title),
            sections=tuple(Section(show(s.text), maybe(s.heading)) for s in self.sections),
            quote=maybe(self.quote),
            link_label=maybe(self.link_label),
            buttons=tuple(replace(b, label=show(b.label)) for b in self.buttons),
            note=maybe(self.note),
        )

    def plain_text(self, name: Callable[[str], str] = str) -> str:
        """The card as plain text, for notifications and the console; people as `name(id)`."""
        return name_people(self.marked_text(), name)

    def marked_text(self) -> str:
        """The card as plain text with its people still marked (for a door that renders them)."""
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


Audience = Literal["private", "shareable", "thread"]


@dataclass(frozen=True)
class PrivateNotice:
    """Any other private answer to one user in a conversation (command answers, notes).

    `audience` says who else may read it: "private" (only them), "shareable" (it is about no one:
    a door with no private answer in place may answer in the conversation), "thread" (tips and
    steps asked in the open: the door may show them to the thread).
    """

    platform: Platform
    workspace: str
    user: str
    channel: str | None
    thread: str | None
    card: Card
    audience: Audience = "private"


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
