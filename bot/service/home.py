"""What Slack's App Home shows a user: pending follow-ups, this week's own nudges, the tips."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot import actions
from bot.i18n import t
from bot.model import Button
from bot.service.context import Who
from bot.service.deps import Deps
from coaching.tips import tips


@dataclass(frozen=True)
class HomeItem:
    """One pending follow-up, its due time already in words."""

    due: str
    excerpt: str
    permalink: str | None
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class HomeData:
    """Everything the Home tab shows, worded in the user's language."""

    lang: str
    title: str
    pending_title: str
    no_pending: str
    nudges_title: str
    no_nudges: str
    tips_title: str
    link_label: str  # the label of the link to the message a reminder is about
    pending: tuple[HomeItem, ...]
    nudges_by_category: tuple[tuple[str, int], ...]
    tips: tuple[str, ...]


def home(deps: Deps, who: Who) -> HomeData:
    """The user's Home data: open reminders (with Done/Cancel), own nudges since Monday, tips."""
    lang, now = who.lang, deps.clock.now()
    rows = deps.store.reminders_for_user(who.platform, who.workspace, who.user, ("pending", "sent"))
    pending = tuple(
        HomeItem(
            due=deps.when(r.due_at, who),
            excerpt=r.text,
            permalink=r.permalink,
            buttons=(
                Button(actions.REMINDER_DONE, str(r.id), t("reminder.buttons.done", lang)),
                Button(actions.REMINDER_CANCEL, str(r.id), t("reminder.buttons.cancel", lang)),
            ),
        )
        for r in rows
    )
    monday = who.day_start(now) - timedelta(days=who.local(now).weekday())
    counts = deps.store.nudges_by_category(who.platform, who.workspace, who.user, since=monday)
    return HomeData(
        lang=lang,
        title=t("home.title", lang),
        pending_title=t("home.pending", lang),
        no_pending=t("home.no_pending", lang),
        nudges_title=t("home.nudges", lang),
        no_nudges=t("home.no_nudges", lang),
        tips_title=t("home.tips", lang),
        link_label=t("reminder.link", lang),
        pending=pending,
        nudges_by_category=tuple((t(f"team.categories.{c}", lang), n) for c, n in counts),
        tips=tuple(f"{tip.number}. {tip.title}" for tip in tips(lang)),
    )
