"""The words a door shows beside the service's replies, worded here in one person's language.

Doors only translate: a pointer to the private chat, a member lookup that failed, the labels of
the console, the draft modal's fields, a person Coach cannot name — each is asked of
`CoachService.texts()` for the person it is shown to, never looked up in the catalogue by the door
(a test keeps `bot.i18n` out of `adapters/`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.commands import CommandName
from bot.i18n import DEFAULT_LANG, LANGS, Lang, t
from bot.model import Card

TAIL = 4  # characters of an unknown person's id shown, enough to tell two apart

ReplyLabel = Literal["private", "channel_post", "direct", "updated"]


@dataclass(frozen=True)
class ModalTexts:
    """The draft-check modal's own words."""

    title: str
    label: str
    submit: str
    close: str


@dataclass(frozen=True)
class AppTexts:
    """How an app store lists Calma: its names and descriptions."""

    short_name: str
    full_name: str
    short_description: str
    full_description: str


@dataclass(frozen=True)
class DoorTexts:
    """Every text a door shows that is not a reply, in the language of the person it is for."""

    lang: Lang

    # ---- any door ----

    def someone(self, user: str) -> str:
        """A person Coach cannot name: "alguien (id …f3f4)"."""
        return t("teams.someone", self.lang, tail=user[-TAIL:])

    def reminder_link(self) -> str:
        """The label of the link to the message a reminder is about."""
        return t("reminder.link", self.lang)

    def unexpected(self) -> str:
        """Something failed on Coach's side."""
        return t("errors.unexpected", self.lang)

    # ---- a door without private answers in place (Teams) ----

    def answered_privately(self) -> Card:
        """The thread line when a command's answer went to the 1:1 chat."""
        return Card(title=t("teams.answered_privately", self.lang))

    def lookup_failed(self, name: str) -> Card:
        """The platform could not say who a mentioned person is; their platform id was used."""
        return Card(title=t("teams.member_lookup_failed", self.lang, name=name))

    def app(self) -> AppTexts:
        """The app's listing (Teams' manifest)."""
        return AppTexts(
            short_name=t("teams.app.short_name", self.lang),
            full_name=t("teams.app.full_name", self.lang),
            short_description=t("teams.app.short_description", self.lang),
            full_description=t("teams.app.full_description", self.lang),
        )

    def menu(self, name: CommandName) -> str:
        """A command's line in Teams' command menu."""
        return t(f"teams.menu.{name}", self.lang)

    # ---- the draft check (Slack's modal) ----

    def modal(self) -> ModalTexts:
        return ModalTexts(
            title=t("slack.modal_title", self.lang),
            label=t("slack.modal_label", self.lang),
            submit=t("slack.modal_submit", self.lang),
            close=t("slack.modal_close", self.lang),
        )

    def draft_empty(self) -> str:
        return t("slack.modal_empty", self.lang)

    def not_own_message(self) -> str:
        return t("slack.not_own_message", self.lang)

    # ---- the console ----

    def welcome(self) -> str:
        return t("console.welcome", self.lang)

    def label(self, kind: ReplyLabel) -> str:
        """How a printed reply says where it was seen: "[solo para ti]", "[en el canal]" …"""
        return t(f"console.{kind}", self.lang)

    def buttons(self, labels: str) -> str:
        return t("console.buttons", self.lang, buttons=labels)

    def no_buttons(self) -> str:
        return t("console.no_buttons", self.lang)

    def chart_saved(self, path: str) -> str:
        return t("console.chart_saved", self.lang, path=path)

    def help_hint(self) -> str:
        return t("console.help_hint", self.lang)

    def prompt(self) -> str:
        return t("console.prompt", self.lang)

    def bye(self) -> str:
        return t("console.bye", self.lang)


UNADDRESSED = DoorTexts(DEFAULT_LANG)

ConsoleWords = Literal["customer_prefix", "button_words", "help_slips"]


def console_words(kind: ConsoleWords) -> frozenset[str]:
    """What the console reads in any language: the prefix of a customer's line ("cliente:"),
    the words that press a button ("!boton 2"), the slips for `/coach ayuda` ("/help")."""
    return frozenset(
        word.strip().casefold()
        for lang in LANGS
        for word in t(f"console.{kind}", lang).split(",")
        if word.strip()
    )  # for a text no one in particular reads (a render's fallback)
