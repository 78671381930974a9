"""Button presses: nudge feedback, mute, tips, abuse escalation, follow-up and reminder states."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from bot import actions
from bot.i18n import t
from bot.model import (
    Action,
    Card,
    DirectMessage,
    PrivateNotice,
    Reply,
    Section,
    UpdateOriginal,
    person,
)
from bot.service.cards import QUOTE_MAX, change_time_card, text_card, tips_card, versioned
from bot.service.context import Who
from bot.service.deps import Deps
from bot.service.followup_offer import offer_action
from bot.service.forms import typed_answer
from bot.service.questions import AskNewTime
from bot.service.reminder_card import reminder_card
from bot.store.base import NudgeRow, Outcome


def _notice(action: Action, card: Card) -> PrivateNotice:
    return PrivateNotice(
        action.platform, action.workspace, action.author, action.channel, None, card
    )


MAX_ID_DIGITS = 18  # row ids fit SQLite's 64-bit integers; anything longer is not one of ours
MAX_IDS = 20


def _ids(value: str) -> list[int]:
    """Row ids in a button's value ("12" or "12,13"); whatever is not one is ignored."""
    parts = (part.strip() for part in value.split(",", MAX_IDS)[:MAX_IDS])
    return [int(p) for p in parts if p.isascii() and p.isdigit() and len(p) <= MAX_ID_DIGITS]


def _own_nudges(deps: Deps, action: Action) -> list[NudgeRow]:
    """The nudges a button refers to, only if they were sent to the one who pressed it."""
    rows = [deps.store.get_nudge(i) for i in _ids(action.value)]
    return [
        r
        for r in rows
        if r is not None and r.user == action.author and r.workspace == action.workspace
    ]


def _nudge_done(rows: list[NudgeRow], who: Who, note: str) -> UpdateOriginal:
    """The nudge card again, without its buttons, with a note saying what happened."""
    return UpdateOriginal(Card(title=t("nudge.title", who.lang), quote=rows[0].excerpt, note=note))


def nudge_feedback(deps: Deps, action: Action, who: Who) -> list[Reply]:
    """Útil / no aplica / silenciar 1 h / ver consejos on one's own nudge."""
    rows = _own_nudges(deps, action)
    now = deps.clock.now()
    if action.action == actions.SHOW_TIPS:
        for r in rows:
            deps.store.record_feedback(r.id, user=action.author, kind="tips", at=now)
        return [_notice(action, tips_card(who.lang))]
    if not rows:
        return []
    if action.action == actions.NUDGE_MUTE_1H:
        deps.store.mute(action.platform, action.workspace, action.author, now + timedelta(hours=1))
        for r in rows:
            deps.store.record_feedback(r.id, user=action.author, kind="muted", at=now)
        return [_nudge_done(rows, who, t("mute.set_1h", who.lang))]
    useful = action.action == actions.NUDGE_USEFUL
    outcome: Outcome = "useful" if useful else "not_applicable"
    for r in rows:
        deps.store.set_nudge_outcome(r.id, outcome, user=action.author, at=now)
    note = t("feedback.thanks" if useful else "feedback.noted_not_applicable", who.lang)
    return [_nudge_done(rows, who, note)]


def _escalation(action: Action) -> tuple[str, str | None, str | None]:
    """(channel, line's event id, the customer's line) from the button; older cards carry only
    the channel."""
    try:
        data = json.loads(action.value)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return action.value or action.channel or "?", None, None
    channel = data.get("c") if isinstance(data.get("c"), str) else None
    event = data.get("e") if isinstance(data.get("e"), str) else None
    quote = data.get("q") if isinstance(data.get("q"), str) else None
    return channel or action.channel or "?", event, quote


def escalate(deps: Deps, action: Action, who: Who) -> list[Reply]:
    """Tell the workspace's leads an agent is being abused in a channel, once per customer line;
    confirm to the agent (the card loses its button)."""
    channel, event, quote = _escalation(action)
    leads = deps.store.leads(action.platform, action.workspace)
    deps.store.record_episode(
        action.platform,
        action.workspace,
        kind="escalation",
        channel=channel,
        thread=None,
        user=action.author,
        at=deps.clock.now(),
    )
    deps.store.mark_escalated(action.platform, action.workspace, channel, action.author)
    if not leads:
        return [
            UpdateOriginal(text_card(t("abuse.title", who.lang), t("abuse.no_leads", who.lang)))
        ]
    if event is not None and not deps.store.mark_seen(action.platform, f"escalate:{event}"):
        done = t("abuse.already_escalated", who.lang)
        return [UpdateOriginal(text_card(t("abuse.title", who.lang), done))]
    replies: list[Reply] = []
    for lead in leads:
        lead_who = deps.who(action.platform, action.workspace, lead)
        where = t("abuse.in_console", lead_who.lang) if action.platform == "console" else channel
        text = t("abuse.lead_alert", lead_who.lang, agent=person(action.author), channel=where)
        sections = [Section(text)]
        if quote:  # the customer's line as written, never longer than QUOTE_MAX
            said = f"«{quote[:QUOTE_MAX]}»"
            sections.append(Section(said, heading=t("abuse.lead_quote", lead_who.lang)))
        card = Card(title=t("abuse.title", lead_who.lang), sections=tuple(sections))
        replies.append(
            DirectMessage(action.platform, action.workspace, lead, card, channel=channel)
        )
    replies.append(
        UpdateOriginal(text_card(t("abuse.title", who.lang), t("abuse.escalated", who.lang)))
    )
    return replies


def reminder_action(deps: Deps, action: Action, who: Who) -> list[Reply]:
    """Done, snooze 1 h, tomorrow 9:00, cancel, change time: only the owner may act."""
    value, _, shown_for = action.value.partition("@")
    ids = _ids(value)
    row = deps.store.get_reminder(ids[0]) if ids else None
    if row is None:
        return [_notice(action, text_card(t("reminder.gone", who.lang)))]
    if row.user != action.author or row.workspace != action.workspace:
        return [_notice(action, text_card(t("reminder.not_yours", who.lang)))]
    if shown_for and versioned(row.id, row.due_at) != action.value:  # a card superseded since
        return [UpdateOriginal(text_card(t("followup.superseded", who.lang)))]
    if action.action == actions.FOLLOWUP_CHANGE_TIME:
        if row.status not in ("pending", "sent"):
            return [_notice(action, text_card(t("reminder.gone", who.lang)))]
        key = (action.platform, action.workspace, action.author)
        deps.questions.ask(key, AskNewTime(row.id), deps.clock.now())
        # in place of the acknowledgement: its Cancel / Change time would answer twice
        return [UpdateOriginal(change_time_card(row.id, row.due_at, who.lang))]
    now = deps.clock.now()
    moves: dict[str, Callable[[], datetime]] = {
        actions.REMINDER_SNOOZE_1H: lambda: now + timedelta(hours=1),
        actions.REMINDER_TOMORROW_9: lambda: who.next_day_at(now, 9),
    }
    if action.action in moves:
        moved = deps.reminders.snooze(row.id, moves[action.action]())
        if moved is None:
            note = t("reminder.gone", who.lang)
        else:
            row = moved
            note = t("reminder.snoozed", who.lang, when=deps.when(moved.due_at, who))
    elif action.action == actions.REMINDER_DONE:
        ok = deps.reminders.done(row.id)
        note = t("reminder.done" if ok else "reminder.gone", who.lang)
    else:  # reminder.cancel, followup.cancel
        ok = deps.reminders.cancel(row.id)
        note = t("reminder.cancelled" if ok else "reminder.gone", who.lang)
    return [UpdateOriginal(reminder_card(row, who.lang, note=note))]


def on_action(deps: Deps, action: Action) -> list[Reply]:
    """Dispatch a button press by its name; unknown names do nothing."""
    who = deps.who(action.platform, action.workspace, action.author, locale=action.locale)
    name = action.action
    if name in (
        actions.NUDGE_USEFUL,
        actions.NUDGE_NOT_APPLICABLE,
        actions.NUDGE_MUTE_1H,
        actions.SHOW_TIPS,
    ):
        return nudge_feedback(deps, action, who)
    if name == actions.ABUSE_ESCALATE:
        return escalate(deps, action, who)
    if name in actions.OFFERS:
        return offer_action(deps, action, who)
    if name == actions.ANSWER:
        return typed_answer(deps, action, who).replies
    if name in actions.ALL:
        return reminder_action(deps, action, who)
    return []
