"""A line in a watched conversation: coach the agent, support them against abuse, keep promises."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.errors import StoreError
from bot.i18n import Lang, format_when, t
from bot.metrics import EVENTS, NUDGES
from bot.model import Card, IncomingMessage, PrivateNotice, PrivateNudge, Reply
from bot.service.cards import abuse_card, ack_card, escalation_value, nudge_card, text_card
from bot.service.context import Who, voice
from bot.service.deps import Deps
from bot.service.fatigue import Recent, allowed, held_back, most_useful, muted
from bot.service.followup_offer import saw_agent_line, saw_customer_line
from bot.service.team_rules import with_team_rules
from bot.store.base import NewNudge, NewReminder
from bot.store.convert import excerpt
from coaching.model import Finding, FollowUp


def on_message(deps: Deps, msg: IncomingMessage) -> list[Reply]:
    """Dedupe, skip paused channels, then handle the line as a customer's or an agent's (an event
    the door's inbox already let through once is not marked again: one write less a line)."""
    store = deps.store
    if not msg.deduplicated and not store.mark_seen(msg.platform, msg.event_id):
        EVENTS.labels(msg.platform, "redelivery").inc()
        return []
    EVENTS.labels(msg.platform, "new").inc()
    if store.is_channel_paused(msg.platform, msg.workspace, msg.channel):
        return []
    if msg.is_customer or msg.author in store.customers(msg.platform, msg.workspace):
        return _customer_line(deps, msg)
    return _agent_line(deps, msg)


def _agent_line(deps: Deps, msg: IncomingMessage) -> list[Reply]:
    now = deps.clock.now()
    deps.activity.saw(msg, now)
    who = deps.who(
        msg.platform, msg.workspace, msg.author, locale=msg.locale, author_tz=msg.author_tz
    )
    analysis = deps.analyze(msg.text, role="agent", now=msg.ts, tz=who.zone)
    disabled = deps.store.disabled_rules(msg.platform, msg.workspace)
    found = with_team_rules(deps, msg.platform, msg.workspace, msg.text, analysis, "agent")
    findings = [f for f in found if f.rule not in disabled]
    replies: list[Reply] = []
    chosen: list[Finding] = []
    recent: Recent | None = None
    if most_useful(findings) and not muted(who, now):  # else no nudge: no turn, no count
        with deps.store.nudge_turn(msg.platform, msg.workspace, msg.author):  # across instances
            recent = Recent.read(deps.store, who, now)
            chosen = allowed(deps.store, who, findings, now, recent)
            if chosen:
                replies.append(_nudge(deps, msg, who, chosen))
    if not chosen and findings:
        replies += _held_note(deps, msg, who, findings, now, recent)
    saw_agent_line(deps, msg, nudged=bool(chosen))
    replies += _promises(deps, msg, who, analysis.followups)
    return replies


def _nudge(deps: Deps, msg: IncomingMessage, who: Who, chosen: Sequence[Finding]) -> PrivateNudge:
    """Record one nudge row per finding shown (excerpt only) and build the private card."""
    ids = [
        deps.store.record_nudge(
            NewNudge(
                platform=msg.platform,
                workspace=msg.workspace,
                user=msg.author,
                channel=msg.channel,
                rule=f.rule,
                category=f.category,
                excerpt=f.excerpt,
                created_at=deps.clock.now(),
            )
        ).id
        for f in chosen
    ]
    for f in chosen:
        NUDGES.labels(f.category).inc()
    return PrivateNudge(
        platform=msg.platform,
        workspace=msg.workspace,
        user=msg.author,
        channel=msg.channel,
        thread=msg.thread,
        card=nudge_card(chosen, who.lang, ",".join(map(str, ids))),
        nudge_id=ids[0],
    )


def _held_note(
    deps: Deps,
    msg: IncomingMessage,
    who: Who,
    findings: Sequence[Finding],
    now: datetime,
    recent: Recent | None,
) -> list[Reply]:
    """The first time today a nudge is held back for this person, one line saying why and how
    to see it anyway; later silences stay silent."""
    reason = held_back(deps.store, who, findings, now, recent)
    if reason is None:
        return []
    day = who.day_start(now).date().isoformat()
    if not deps.store.mark_seen(msg.platform, f"held:{msg.workspace}:{msg.author}:{day}"):
        return []
    text = t(f"fatigue.{reason}", who.lang, cap=who.ws.daily_cap)
    return [_notice(msg, text_card(text))]


def _promises(
    deps: Deps, msg: IncomingMessage, who: Who, followups: Sequence[FollowUp]
) -> list[Reply]:
    """Each promised follow-up becomes a stored reminder and a private acknowledgement."""
    if not followups:
        return []
    held = deps.store.reminders_for_user(
        msg.platform, msg.workspace, msg.author, ("pending", "sent", "done", "cancelled")
    )
    if msg.message_ref is not None and any(r.message_ref == msg.message_ref for r in held):
        return []  # an edit of a message we already hold a reminder for
    now = deps.clock.now()
    lead = timedelta(minutes=who.ws.reminder_lead_minutes)
    replies: list[Reply] = []
    for fu in followups:
        due = max(fu.due - lead, min(fu.due, now))
        for same in held:
            # The same promise again (same author, conversation and time): the latest wording
            # replaces the earlier reminder, so one reminder is left.
            if (
                same.status == "pending"
                and same.channel == msg.channel
                and same.thread == msg.thread
                and same.due_at == due
            ):
                deps.reminders.cancel(same.id)
        row = deps.reminders.add_or_keep(_reminder(msg, fu, due, who.lang))
        when = deps.when(due, who)
        if row is None:  # the database refused it: the scheduler keeps it and writes it later
            replies.append(_kept_notice(msg, fu, when, who.lang))
        else:
            replies.append(_notice(msg, ack_card(row.id, row.text, when, who.lang)))
    return replies


def rescue_promises(deps: Deps, msg: IncomingMessage) -> list[Reply]:
    """The database failed while handling an agent's line: keep its promises in memory anyway.

    Nothing of the line was stored (promises are written last, each one kept if refused), so
    every follow-up it promises is handed to the scheduler, which writes it when it can.
    """
    if msg.is_customer:
        return []
    spoken = voice(deps.settings, None, None, locale=msg.locale, author_tz=msg.author_tz)
    lang, zone = spoken.lang, spoken.zone
    now = deps.clock.now()
    replies: list[Reply] = []
    for fu in deps.analyze(msg.text, role="agent", now=msg.ts, tz=zone).followups:
        due = max(fu.due, now)
        deps.reminders.keep(_reminder(msg, fu, due, lang), StoreError("the line was not handled"))
        when = format_when(due.astimezone(zone), lang, now.astimezone(zone))
        replies.append(_kept_notice(msg, fu, when, lang))
    return replies


def _reminder(msg: IncomingMessage, fu: FollowUp, due: datetime, lang: Lang) -> NewReminder:
    """The reminder row for one promise in `msg`: only the promised excerpt is kept."""
    return NewReminder(
        platform=msg.platform,
        workspace=msg.workspace,
        user=msg.author,
        channel=msg.channel,
        text=fu.excerpt,
        due_at=due,
        thread=msg.thread,
        message_ref=msg.message_ref,
        permalink=msg.permalink,
        lang=lang,
    )


def _notice(msg: IncomingMessage, card: Card) -> PrivateNotice:
    return PrivateNotice(msg.platform, msg.workspace, msg.author, msg.channel, msg.thread, card)


def _kept_notice(msg: IncomingMessage, fu: FollowUp, when: str, lang: Lang) -> PrivateNotice:
    text = t("followup.kept", lang, when=when, what=excerpt(fu.excerpt))
    return _notice(msg, text_card(text))


def _customer_line(deps: Deps, msg: IncomingMessage) -> list[Reply]:
    """An abusive customer line: a private note to each agent active in the conversation."""
    analysis = deps.analyze(msg.text, role="customer")
    found = with_team_rules(deps, msg.platform, msg.workspace, msg.text, analysis, "customer")
    abusive = any(f.category == "abuse" for f in found)
    now = deps.clock.now()
    active = deps.activity.active(msg.platform, msg.workspace, msg.channel, msg.thread, now)
    saw_customer_line(deps, msg, active, analysis.lang, analysis.register, abusive)
    if not abusive:
        return []
    deps.store.record_episode(
        msg.platform,
        msg.workspace,
        kind="abuse",
        channel=msg.channel,
        thread=msg.thread,
        user=None,
        at=now,
    )
    agents = deps.activity.active(msg.platform, msg.workspace, msg.channel, msg.thread, now)
    if not agents:  # the conversation's first line: the channel's agents, else the leads
        agents = deps.activity.known(msg.platform, msg.workspace, msg.channel, now)
    if not agents:
        agents = sorted(deps.store.leads(msg.platform, msg.workspace))
    threat = any(f.category == "abuse" and f.rule.endswith(".threat") for f in found)
    value = escalation_value(msg.channel, msg.event_id, msg.text)
    replies: list[Reply] = []
    for agent in agents:
        who = deps.who(msg.platform, msg.workspace, agent)
        replies.append(
            PrivateNotice(
                platform=msg.platform,
                workspace=msg.workspace,
                user=agent,
                channel=msg.channel,
                thread=msg.thread,
                card=abuse_card(who.lang, analysis.lang, analysis.register, value, threat=threat),
            )
        )
    return replies
