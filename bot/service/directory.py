"""What doors need to know about people and a workspace, asked of the service, never the store."""

from __future__ import annotations

import logging

from bot.errors import StoreError
from bot.model import Platform
from bot.service.context import zone_or_none
from bot.service.deps import Deps

log = logging.getLogger(__name__)


def customers(deps: Deps, platform: Platform, workspace: str) -> frozenset[str]:
    """The people a lead listed as customers; none when storage cannot say (logged)."""
    try:
        return frozenset(deps.store.customers(platform, workspace))
    except StoreError as exc:
        log.error("cannot read customers: %s", exc)
        return frozenset()


def rekey(deps: Deps, platform: Platform, workspace: str, old: str, new: str) -> bool:
    """Move a role or customer listing kept under a person's `old` id to their `new` one
    (a lead named before their platform id was known); logged, never raises."""
    try:
        moved = deps.store.rekey_user(platform, workspace, old, new)
    except StoreError as exc:
        log.error("cannot move a person's listing to their new id: %s", exc)
        return False
    if moved:
        log.info("a %s person's role or customer listing moved to their new id", platform)
    return moved


def keep_zone(deps: Deps, platform: Platform, workspace: str, user: str, zone: str) -> None:
    """Remember the zone a platform reports for a person of a known workspace, unless they
    already have one (raises StoreError)."""
    if zone_or_none(zone) is None or deps.store.get_workspace(platform, workspace) is None:
        return
    row = deps.store.get_user(platform, workspace, user)
    if row is None or row.tz is None:
        deps.store.set_user_settings(platform, workspace, user, tz=zone)


def rearm(deps: Deps, platform: Platform, workspace: str) -> int:
    """Arm the workspace's pending reminders now (back after an uninstall); how many, logged."""
    try:
        pending = deps.store.pending_reminders()
    except StoreError as exc:  # they still go out at their next retry
        log.error("pending reminders of %s not re-armed: %s", workspace, exc)
        return 0
    mine = [r for r in pending if r.platform == platform and r.workspace == workspace]
    for row in mine:
        deps.reminders.schedule(row)
    return len(mine)


def pending(deps: Deps, platform: Platform, workspace: str) -> int:
    """How many reminders of the workspace wait to be sent (raises StoreError)."""
    return sum(
        1
        for r in deps.store.pending_reminders()
        if r.platform == platform and r.workspace == workspace
    )
