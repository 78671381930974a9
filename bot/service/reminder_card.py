"""The reminder direct message and its later states (done, snoozed, cancelled)."""

from __future__ import annotations

from typing import cast

from bot import actions
from bot.config import Settings
from bot.i18n import Lang, format_when, t
from bot.model import Button, Card, DirectMessage, Platform
from bot.ports import Clock
from bot.reminders import Render
from bot.service.context import voice
from bot.store.base import ReminderRow
from bot.store.people import People


def reminder_card(
    row: ReminderRow, lang: Lang, late_when: str | None = None, *, note: str | None = None
) -> Card:
    """What was promised, a link to it, a late note if late, and the four buttons (if open)."""
    value = str(row.id)
    open_ = note is None
    buttons = (
        (
            Button(actions.REMINDER_DONE, value, t("reminder.buttons.done", lang), "primary"),
            Button(actions.REMINDER_SNOOZE_1H, value, t("reminder.buttons.snooze_1h", lang)),
            Button(actions.REMINDER_TOMORROW_9, value, t("reminder.buttons.tomorrow_9", lang)),
            Button(actions.REMINDER_CANCEL, value, t("reminder.buttons.cancel", lang)),
        )
        if open_
        else ()
    )
    if note is None and late_when is not None:
        note = t("reminder.late", lang, when=late_when)
    return Card(
        title=t("reminder.title", lang),
        quote=row.text,
        link=row.permalink,
        link_label=t("reminder.link", lang),  # also for a link a door finds later (Slack)
        buttons=buttons,
        note=note,
    )


def make_render(store: People, settings: Settings, clock: Clock) -> Render:
    """The ReminderScheduler's render callback: a due row becomes a DirectMessage to its owner."""

    def render(row: ReminderRow, late: bool) -> DirectMessage:
        ws = store.get_workspace(row.platform, row.workspace)
        user = store.get_user(row.platform, row.workspace, row.user)
        spoken = voice(settings, ws, user, locale=row.lang)  # the reminder's lang as a locale
        lang, zone = spoken.lang, spoken.zone
        late_when = format_when(row.due_at.astimezone(zone), lang, clock.now()) if late else None
        return DirectMessage(
            platform=cast(Platform, row.platform),
            workspace=row.workspace,
            user=row.user,
            card=reminder_card(row, lang, late_when),
            reminder_id=row.id,
            channel=row.channel,
            message_ref=row.message_ref,
        )

    return render
