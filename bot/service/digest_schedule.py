"""The weekly digest: each lead's next send is a row (`digest_slots`), so a restart loses nothing.

Every lead gets a slot the first time the schedule runs after they become lead: Monday 09:00 on
their own wall clock, or the day they chose with `/coach ajustes resumen <día|off>`. `run_due`
sends what is due (late ones at once, after a restart) and moves each slot a week on; a send
that fails stays due and is tried at the next run. Only a crash between sending and moving the
slot can repeat one digest.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from bot.commands import DIGEST_DAYS
from bot.errors import StoreError
from bot.model import Platform
from bot.ports import Notifier
from bot.service.deps import Deps
from bot.service.digest import digest_message

log = logging.getLogger(__name__)

DIGEST_HOUR = 9
DIGEST_DAYS_WINDOW = 7
DEFAULT_WEEKDAY = 0  # Monday


def next_slot(after: datetime, zone: ZoneInfo, weekday: int, hour: int = DIGEST_HOUR) -> datetime:
    """The first `weekday` at `hour`:00 on the wall clock of `zone` strictly after `after`."""
    local = after.astimezone(zone)
    for ahead in range(8):
        day = local.date() + timedelta(days=ahead)
        if day.weekday() != weekday:
            continue
        candidate = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
        if candidate > after:
            return candidate
    raise AssertionError("a weekday comes round within eight days")


def weekday_of(value: str) -> int | None:
    """The weekday number of a setting value ("mon" … "sun"), None for "off"."""
    return DIGEST_DAYS.index(value) if value in DIGEST_DAYS else None


def set_day(deps: Deps, platform: str, workspace: str, user: str, value: str) -> None:
    """A lead's choice of day (or "off"); the next send moves to the new day."""
    weekday = weekday_of(value)
    who = deps.who(cast(Platform, platform), workspace, user)
    next_at = None if weekday is None else next_slot(deps.clock.now(), who.zone, weekday)
    deps.store.set_digest_slot(platform, workspace, user, weekday=weekday, next_at=next_at)


def day_of(deps: Deps, platform: str, workspace: str, user: str) -> str:
    """The lead's digest day as a setting value ("mon" by default, "off")."""
    slot = deps.store.digest_slot(platform, workspace, user)
    if slot is None:
        return DIGEST_DAYS[DEFAULT_WEEKDAY]
    return "off" if slot.weekday is None else DIGEST_DAYS[slot.weekday]


def schedule_new_leads(deps: Deps) -> int:
    """Give every lead without a slot their first one (next Monday 09:00, their zone)."""
    now = deps.clock.now()
    added = 0
    for platform, workspace, user in deps.store.leads_without_digest_slot():
        who = deps.who(cast(Platform, platform), workspace, user)
        first = next_slot(now, who.zone, DEFAULT_WEEKDAY)
        deps.store.set_digest_slot(
            platform, workspace, user, weekday=DEFAULT_WEEKDAY, next_at=first
        )
        added += 1
    return added


async def run_due(deps: Deps, notifier: Notifier) -> int:
    """Send every digest that is due; returns how many went out."""
    try:
        schedule_new_leads(deps)
        due = deps.store.due_digest_slots(deps.clock.now())
    except StoreError as exc:
        log.error("digests: storage unavailable: %s", exc)
        return 0
    sent = 0
    for slot in due:
        if slot.weekday is None:
            continue
        who = deps.who(cast(Platform, slot.platform), slot.workspace, slot.user)
        try:
            message = digest_message(deps, who, DIGEST_DAYS_WINDOW)
            await notifier.deliver(message)
        except Exception:
            log.exception(
                "digest for %s in %s not sent; trying again later", slot.user, slot.workspace
            )
            continue
        sent += 1
        following = next_slot(deps.clock.now(), who.zone, slot.weekday)
        try:
            deps.store.set_digest_slot(
                slot.platform, slot.workspace, slot.user, weekday=slot.weekday, next_at=following
            )
        except StoreError as exc:
            log.error("digest sent but its next date not recorded: %s", exc)
    return sent
