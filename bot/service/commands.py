"""`/coach` commands for everyone: help, tips, steps, check, mute, follow-ups, remind, language."""

from __future__ import annotations

from datetime import timedelta

from bot.commands import (
    CAP_RANGE,
    LEAD_MINUTES_RANGE,
    Check,
    Followups,
    Help,
    Language,
    Mute,
    ParsedCommand,
    Remind,
    Steps,
    Tips,
    Unknown,
)
from bot.i18n import t
from bot.model import Card, Command, Post, PrivateNotice, Reply, Section
from bot.service.cards import ack_card, finding_sections, steps_card, text_card, tip_note, tips_card
from bot.service.context import Who
from bot.service.deps import Deps
from bot.service.team_rules import with_team_rules
from bot.service.when import remind_note
from bot.store.base import NewReminder
from bot.store.convert import excerpt

CHECK_MAX = 5  # a draft check explains at most this many rules (and promised times)
SHOWN_VALUE_MAX = 40  # a bad value echoed back is cut to this many characters


def private(cmd: Command, card: Card) -> PrivateNotice:
    """An answer only the command's author sees, where they typed it."""
    return PrivateNotice(cmd.platform, cmd.workspace, cmd.author, cmd.channel, cmd.thread, card)


def help_card(who: Who, topic: str | None = None) -> Card:
    """The full reference (with the lead part for leads), or one command's usage line."""
    if topic is not None:
        return text_card(t("help.title", who.lang), t(f"help.usage.{topic}", who.lang))
    parts = [t("help.full", who.lang)]
    if who.is_lead:
        parts.append(t("help.lead", who.lang))
    return text_card(t("help.title", who.lang), *parts)


def unknown(cmd: Command, who: Who, parsed: Unknown) -> list[Reply]:
    """Short help: what was wrong and the usage line, never a traceback."""
    if parsed.command is None or parsed.reason == "unknown_command":
        card = text_card(t("errors.unknown_command", who.lang), t("help.short", who.lang))
    elif parsed.reason == "bad_setting" and parsed.setting is not None:
        card = text_card(
            t(f"errors.settings.{parsed.setting}", who.lang, **_setting_limits(parsed))
        )
    else:
        usage = t(f"help.usage.{parsed.command}", who.lang)
        card = text_card(t(f"errors.{parsed.reason}", who.lang, usage=usage))
    return [private(cmd, card)]


def _setting_limits(parsed: Unknown) -> dict[str, object]:
    """What a bad-setting message shows: the value as typed (cut short) and the allowed range."""
    low, high = CAP_RANGE if parsed.setting == "cap" else LEAD_MINUTES_RANGE
    value = parsed.value or ""
    shown = value if len(value) <= SHOWN_VALUE_MAX else value[: SHOWN_VALUE_MAX - 1] + "…"
    return {"value": shown, "low": low, "high": high}


def tips_command(cmd: Command, who: Who, parsed: Tips) -> list[Reply]:
    """The tips privately, or (leads) published in the channel."""
    card = tips_card(who.lang, parsed.n)
    if not parsed.publish:
        return [private(cmd, card)]
    if cmd.channel is None:
        return [private(cmd, text_card(t("channel.not_a_channel", who.lang)))]
    return [
        Post(cmd.platform, cmd.workspace, cmd.channel, cmd.thread, card),
        private(cmd, text_card(t("tips.published", who.lang))),
    ]


def check(deps: Deps, cmd: Command, who: Who, parsed: Check) -> list[Reply]:
    """Coach a draft privately (findings, rewrite, promised times) without storing anything."""
    now = deps.clock.now()
    analysis = deps.analyze(parsed.text, role="agent", now=now, tz=who.zone)
    disabled = deps.store.disabled_rules(cmd.platform, cmd.workspace)
    team = with_team_rules(deps, cmd.platform, cmd.workspace, parsed.text, analysis, "agent")
    found = [f for f in team if f.rule not in disabled]
    findings = list({f.rule: f for f in reversed(found)}.values())[::-1][:CHECK_MAX]
    sections = list(finding_sections(findings, who.lang))
    if len(found) > len(findings):  # a long draft repeating itself: say so once
        sections.append(Section(t("check.more", who.lang)))
    whens = dict.fromkeys(deps.when(fu.due, who) for fu in analysis.followups)
    for when in list(whens)[:CHECK_MAX]:
        sections.append(Section(t("check.followup", who.lang, when=when)))
    if not findings:
        title = t("check.clean", who.lang)
        return [private(cmd, Card(title=title, sections=tuple(sections)))]
    card = Card(
        title=t("check.finding", who.lang),
        quote=findings[0].excerpt,
        sections=tuple(sections),
        note=tip_note(findings[0].tip, who.lang),
    )
    return [private(cmd, card)]


def mute(deps: Deps, cmd: Command, who: Who, parsed: Mute) -> list[Reply]:
    """Pause one's own nudges for an hour or the rest of the day, or resume them."""
    now = deps.clock.now()
    if parsed.duration == "1h":
        until, key = now + timedelta(hours=1), "mute.set_1h"
    elif parsed.duration == "today":
        until, key = who.day_start(now) + timedelta(days=1), "mute.set_today"
    else:
        until, key = None, "mute.off"
    deps.store.mute(cmd.platform, cmd.workspace, cmd.author, until)
    return [private(cmd, text_card(t(key, who.lang)))]


def followups(deps: Deps, cmd: Command, who: Who) -> list[Reply]:
    """One's open follow-ups, earliest first."""
    rows = deps.store.reminders_for_user(
        cmd.platform, cmd.workspace, cmd.author, ("pending", "sent")
    )
    waiting = deps.reminders.unsaved_for(cmd.platform, cmd.workspace, cmd.author)
    if not rows and not waiting:
        return [private(cmd, text_card(t("followups.none", who.lang)))]
    items = [
        t("followups.item", who.lang, when=deps.when(r.due_at, who), what=r.text) for r in rows
    ] + [  # promises the database has refused so far: listed, and said to be unsaved
        t("followups.unsaved_item", who.lang, when=deps.when(r.due_at, who), what=r.text)
        for r in waiting
    ]
    return [private(cmd, text_card(t("followups.list_title", who.lang), *items))]


def remind(deps: Deps, cmd: Command, who: Who, parsed: Remind) -> list[Reply]:
    """A reminder from a note with a time in it; asks for a time when there is none."""
    now = deps.clock.now()
    note = remind_note(deps.analyze, parsed.text, now, who.zone)
    due = note.due
    if due is None:
        return [private(cmd, text_card(t("followup.ask_time", who.lang)))]
    if due <= now:
        return [private(cmd, text_card(t("followup.time_past", who.lang)))]
    row = deps.reminders.add_or_keep(
        NewReminder(
            platform=cmd.platform,
            workspace=cmd.workspace,
            user=cmd.author,
            channel=cmd.channel,
            text=note.what,
            due_at=due,
            thread=cmd.thread,
            lang=who.lang,
        )
    )
    when = deps.when(due, who)
    if row is None:  # the database refused the write: the scheduler keeps it and retries
        kept = t("followup.kept", who.lang, when=when, what=excerpt(note.what))
        return [private(cmd, text_card(kept))]
    return [private(cmd, ack_card(row.id, row.text, when, who.lang))]


def language(deps: Deps, cmd: Command, parsed: Language) -> list[Reply]:
    """Speak to this user in `es` or `en` from now on."""
    deps.store.set_user_settings(cmd.platform, cmd.workspace, cmd.author, lang=parsed.lang)
    return [private(cmd, text_card(t("language.set", parsed.lang)))]


def personal(deps: Deps, cmd: Command, who: Who, parsed: ParsedCommand) -> list[Reply] | None:
    """Run a command anyone may use; None when `parsed` is not one of them."""
    match parsed:
        case Help(topic=topic):
            return [private(cmd, help_card(who, topic))]
        case Tips():
            return tips_command(cmd, who, parsed)
        case Steps():
            return [private(cmd, steps_card(who.lang))]
        case Check():
            return check(deps, cmd, who, parsed)
        case Mute():
            return mute(deps, cmd, who, parsed)
        case Followups():
            return followups(deps, cmd, who)
        case Remind():
            return remind(deps, cmd, who, parsed)
        case Language():
            return language(deps, cmd, parsed)
        case Unknown():
            return unknown(cmd, who, parsed)
    return None
