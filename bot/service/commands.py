"""`/coach` commands for everyone: help, tips, steps, check, mute, follow-ups, remind, language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.commands import (
    CAP_RANGE,
    LEAD_MINUTES_RANGE,
    Check,
    CommandName,
    Followups,
    Help,
    Language,
    Mute,
    ParsedCommand,
    Remind,
    Steps,
    Tips,
    Unknown,
    keyword,
    parse,
    reference,
    usage,
)
from bot.i18n import catalogue, t
from bot.model import Ask, Card, Command, Post, PrivateNotice, Reply, Section
from bot.service.cards import (
    ack_card,
    asking_card,
    finding_sections,
    steps_card,
    text_card,
    time_form,
    tip_note,
    tips_card,
    what_form,
)
from bot.service.context import Who
from bot.service.deps import Deps
from bot.service.questions import AskNewTime, AskWhat, AskWhen
from bot.service.team_rules import with_team_rules
from bot.service.when import remind_note
from bot.store.base import NewReminder
from bot.store.convert import excerpt

CHECK_MAX = 5  # a draft check explains at most this many rules (and promised times)
SHOWN_VALUE_MAX = 40  # a bad value echoed back is cut to this many characters


def private(cmd: Command, card: Card) -> PrivateNotice:
    """An answer only the command's author sees, where they typed it."""
    return PrivateNotice(cmd.platform, cmd.workspace, cmd.author, cmd.channel, cmd.thread, card)


def help_card(who: Who, topic: CommandName | None = None) -> Card:
    """The full reference (with the lead part for leads), or one command's usage line."""
    if topic is not None:
        example = f"help.examples.{topic}"
        extra = t(example, who.lang) if example in catalogue(who.lang) else ""
        return text_card(t("help.title", who.lang), usage(topic, who.lang), extra)
    parts = [reference(who.lang, "everyone")]
    if who.is_lead:
        parts.append(reference(who.lang, "leads"))
    return text_card(t("help.title", who.lang), *parts)


def unknown(cmd: Command, who: Who, parsed: Unknown) -> list[Reply]:
    """Short help: what was wrong and the usage line, never a traceback."""
    if parsed.reason == "unknown_command" or parsed.command is None:
        lines = [t("errors.unknown_command", who.lang)]
        if parsed.command is not None:  # a word close to one: "recordatorio"
            word = keyword(parsed.command, who.lang)
            lines.append(t("errors.did_you_mean", who.lang, command=word))
        card = text_card(*lines, t("help.short", who.lang))
    elif parsed.reason == "bad_setting" and parsed.setting is not None:
        card = text_card(
            t(f"errors.settings.{parsed.setting}", who.lang, **_setting_limits(parsed))
        )
    else:
        line = usage(parsed.command, who.lang)
        card = text_card(t(f"errors.{parsed.reason}", who.lang, usage=line))
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
    if parsed.n is None:  # publishing all seven at once is a wall of text: ask which one
        return [private(cmd, text_card(t("tips.which", who.lang)))]
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
    """A reminder from a note with a time in it; asks for the time (or the what) when the note
    lacks it, and the agent's next private line (or the card's field) answers."""
    now = deps.clock.now()
    note = remind_note(deps.analyze, parsed.text, now, who.zone)
    key = (cmd.platform, cmd.workspace, cmd.author)
    due = note.due
    if due is None or due <= now:
        deps.questions.ask(key, AskWhen(note.what, cmd.channel, cmd.thread), now)
        asked = t("followup.ask_time" if due is None else "followup.time_past", who.lang)
        return [private(cmd, asking_card(asked, time_form(who.lang)))]
    if note.only_time:
        open_ = deps.questions.pending(key, now)
        if isinstance(open_, AskNewTime):  # "/coach recordar mañana a las 11" after Cambiar hora
            return new_time(deps, cmd, who, open_, due)
        deps.questions.ask(key, AskWhat(due, cmd.channel, cmd.thread), now)
        asked = t("followup.ask_what", who.lang, when=deps.when(due, who))
        return [private(cmd, asking_card(asked, what_form(who.lang)))]
    deps.questions.close(key)
    return add_reminder(deps, cmd, who, note.what, due, cmd.channel, cmd.thread)


def add_reminder(
    deps: Deps,
    cmd: Command,
    who: Who,
    what: str,
    due: datetime,
    channel: str | None,
    thread: str | None,
) -> list[Reply]:
    """Store the reminder and acknowledge it with Cancel and Change time."""
    row = deps.reminders.add_or_keep(
        NewReminder(
            platform=cmd.platform,
            workspace=cmd.workspace,
            user=cmd.author,
            channel=channel,
            text=what,
            due_at=due,
            thread=thread,
            lang=who.lang,
        )
    )
    when = deps.when(due, who)
    if row is None:  # the database refused the write: the scheduler keeps it and retries
        kept = t("followup.kept", who.lang, when=when, what=excerpt(what))
        return [private(cmd, text_card(kept))]
    return [private(cmd, ack_card(row.id, row.text, when, who.lang))]


def new_time(deps: Deps, cmd: Command, who: Who, asked: AskNewTime, due: datetime) -> list[Reply]:
    """Move a reminder to the time its owner typed after "Cambiar hora"."""
    deps.questions.close((cmd.platform, cmd.workspace, cmd.author), known=True)
    row = deps.store.get_reminder(asked.reminder_id)
    moved = None
    if row is not None and row.user == cmd.author and row.status in ("pending", "sent"):
        moved = deps.reminders.snooze(row.id, due)
    if moved is None:
        return [private(cmd, text_card(t("reminder.gone", who.lang)))]
    when = deps.when(moved.due_at, who)
    return [private(cmd, ack_card(moved.id, moved.text, when, who.lang))]


@dataclass(frozen=True)
class Answered:
    """What answering Coach's question gave: the replies, and when the answer was not taken,
    why (the question stays open; a form shows this beside its field)."""

    replies: list[Reply]
    again: str | None = None


def answer(deps: Deps, cmd: Command, who: Who) -> list[Reply] | None:
    """The agent's private line as the answer to Coach's open question; None when none is open."""
    answered = take_answer(deps, cmd, who)
    return None if answered is None else answered.replies


def take_answer(deps: Deps, cmd: Command, who: Who, *, typed: bool = False) -> Answered | None:
    """`cmd.text` as the answer to the open question; None when none is open (or, for a line,
    when the line is a command instead). `typed`: it came from the question's own field."""
    now = deps.clock.now()
    key = (cmd.platform, cmd.workspace, cmd.author)
    asked = deps.questions.pending(key, now)
    if asked is None:
        return None
    note = remind_note(deps.analyze, cmd.text, now, who.zone)
    if isinstance(asked, AskWhat):
        due = note.due if note.due is not None and not note.only_time else asked.due
        what = note.what if note.due is not None else cmd.text.strip()
        if not what or note.only_time:
            return _again(cmd, t("followup.ask_what_again", who.lang), what_form(who.lang))
        deps.questions.close(key, known=True)
        return Answered(add_reminder(deps, cmd, who, what, due, asked.channel, asked.thread))
    if note.due is None:
        if not typed and not isinstance(parse(cmd.text), Unknown):  # "ayuda": a command
            deps.questions.close(key, known=True)
            return None
        return _again(cmd, t("followup.ask_time_again", who.lang), time_form(who.lang))
    if note.due <= now:
        return _again(cmd, t("followup.time_past", who.lang), time_form(who.lang))
    if isinstance(asked, AskNewTime):
        return Answered(new_time(deps, cmd, who, asked, note.due))
    deps.questions.close(key, known=True)
    return Answered(add_reminder(deps, cmd, who, asked.what, note.due, asked.channel, asked.thread))


def _again(cmd: Command, why: str, form: Ask) -> Answered:
    """The question asked again, with why the answer was not taken."""
    return Answered([private(cmd, asking_card(why, form))], again=why)


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
