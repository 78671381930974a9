"""The follow-up message after a hard conversation (abuse, an escalation, several nudges):
a while after it goes quiet, Coach offers the agent, privately and once, a draft in the
customer's language and form of address (thanks, an apology without blame, what was done, an
invitation to come back), with buttons: copy (Slack: an editable modal), remind me tomorrow
(a reminder row, so it survives a restart), no thanks.

The conversation row keeps counts and flags only, never what anyone wrote.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import cast

from bot import actions
from bot.errors import StoreError
from bot.i18n import Lang, as_lang, t
from bot.model import (
    Action,
    Button,
    Card,
    DirectMessage,
    IncomingMessage,
    Platform,
    PrivateNotice,
    Reply,
    Section,
    UpdateOriginal,
)
from bot.outbox import DurableOutbox, OutboxItem, Send
from bot.ports import Notifier
from bot.service.context import Who
from bot.service.deps import Deps
from bot.store.base import NewReminder
from bot.store.conversations import ConversationRow

log = logging.getLogger(__name__)

OFFER = "followup.offer"  # its outbox kind; the payload is the conversation's id
QUIET = timedelta(minutes=30)  # the conversation has been silent this long: offer now
SEVERAL_NUDGES = 2
REMIND_HOUR = 9


def saw_agent_line(deps: Deps, msg: IncomingMessage, nudged: bool) -> None:
    """The agent wrote in the conversation (and was nudged, or not)."""
    deps.store.touch_conversation(
        msg.platform,
        msg.workspace,
        msg.channel,
        msg.thread,
        msg.author,
        at=deps.clock.now(),
        nudges=int(nudged),
    )


def saw_customer_line(
    deps: Deps, msg: IncomingMessage, agents: list[str], lang: str, register: str, abusive: bool
) -> None:
    """A customer wrote: each agent active in the conversation learns their language and
    form of address (and whether the line was abusive)."""
    for agent in agents:
        deps.store.touch_conversation(
            msg.platform,
            msg.workspace,
            msg.channel,
            msg.thread,
            agent,
            at=deps.clock.now(),
            abuse=abusive,
            lang=lang,
            register=register,
        )


def draft(row: ConversationRow, fallback: Lang) -> str:
    """The follow-up message, in the customer's language and form of address."""
    lang = as_lang(row.lang) or fallback
    if lang == "en":
        return t("followup_offer.draft.you", "en")
    register = row.register if row.register in ("usted", "tu", "vos") else "usted"
    return t(f"followup_offer.draft.{register}", "es")


def offer_card(row: ConversationRow, lang: Lang) -> Card:
    """The private offer: why, the draft, and copy / remind me tomorrow / no thanks."""
    value = str(row.id)
    return Card(
        title=t("followup_offer.title", lang),
        sections=(Section(t("followup_offer.body", lang)),),
        quote=draft(row, lang),
        note=t("followup_offer.note", lang),
        buttons=(
            Button(actions.OFFER_COPY, value, t("followup_offer.buttons.copy", lang), "primary"),
            Button(actions.OFFER_REMIND, value, t("followup_offer.buttons.remind", lang)),
            Button(actions.OFFER_DISMISS, value, t("followup_offer.buttons.dismiss", lang)),
        ),
    )


def offer_sender(deps: Deps, notifier: Notifier) -> Send:
    """The outbox's sender of offers: the item names the conversation (its id, never any text);
    the card is worded when it is sent. Raises when the door did not take it, so it is retried."""

    async def send(item: OutboxItem) -> None:
        row = deps.store.get_conversation(int(item.payload))
        if row is None:
            return  # the conversation is gone: nothing to offer
        who = deps.who(cast(Platform, row.platform), row.workspace, row.agent)
        card = offer_card(row, who.lang)
        await notifier.deliver(DirectMessage(who.platform, row.workspace, row.agent, card))

    return send


async def run_due_offers(deps: Deps, outbox: DurableOutbox, notifier: Notifier) -> int:
    """Offer a follow-up for every hard conversation quiet for QUIET, once: the offer is marked,
    then sent through the durable outbox, so a failed send is tried again by a later sweep (by
    any instance) until it goes out, and goes out once. How many were sent now."""
    now = deps.clock.now()
    try:
        rows = deps.store.quiet_hard_conversations(now - QUIET, SEVERAL_NUDGES)
    except StoreError as exc:
        log.error("follow-up offers: storage unavailable: %s", exc)
        return 0
    sent = 0
    for row in rows:
        if not outbox.sends(row.platform, OFFER):  # no door registered it (the service's tests)
            outbox.register(row.platform, offer_sender(deps, notifier), kind=OFFER)
        try:
            if not deps.store.mark_offered(row.id, now):
                continue  # another run made it
        except StoreError as exc:
            log.error("follow-up offer for conversation %d not marked: %s", row.id, exc)
            continue
        if await outbox.deliver(row.platform, row.workspace, OFFER, str(row.id)):
            sent += 1
        else:
            log.warning("follow-up offer for conversation %d waits to be sent again", row.id)
    return sent


def _own(deps: Deps, action: Action) -> ConversationRow | None:
    value = action.value.strip()
    row = deps.store.get_conversation(int(value)) if value.isdigit() and len(value) < 19 else None
    if row is None or row.agent != action.author or row.workspace != action.workspace:
        return None
    return row


def offer_action(deps: Deps, action: Action, who: Who) -> list[Reply]:
    """Copy (the draft to copy; Slack opens it in a modal), remind me tomorrow, no thanks."""
    row = _own(deps, action)
    lang = who.lang
    if row is None:
        return [_notice(action, Card(title=t("followup_offer.gone", lang)))]
    if action.action == actions.OFFER_COPY:
        card = Card(
            title=t("followup_offer.copy_title", lang),
            sections=(Section(draft(row, lang)),),
            quote=draft(row, lang),
            note=t("followup_offer.copy_note", lang),
        )
        return [_notice(action, card)]
    done = Card(title=t("followup_offer.title", lang), quote=draft(row, lang))
    if action.action == actions.OFFER_DISMISS:
        return [UpdateOriginal(_with_note(done, t("followup_offer.dismissed", lang)))]
    due = who.next_day_at(deps.clock.now(), REMIND_HOUR)
    reminder = deps.reminders.add_or_keep(
        NewReminder(
            platform=action.platform,
            workspace=action.workspace,
            user=action.author,
            channel=row.channel,
            text=t("followup_offer.reminder_text", lang),
            due_at=due,
            thread=row.thread or None,
            lang=lang,
        )
    )
    when = deps.when(due, who)
    key = "followup_offer.reminded" if reminder is not None else "followup_offer.remind_kept"
    return [UpdateOriginal(_with_note(done, t(key, lang, when=when)))]


def _with_note(card: Card, note: str) -> Card:
    return Card(title=card.title, quote=card.quote, note=note)


def _notice(action: Action, card: Card) -> PrivateNotice:
    return PrivateNotice(
        action.platform, action.workspace, action.author, action.channel, None, card
    )
