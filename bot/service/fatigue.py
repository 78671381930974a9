"""Fatigue control: which findings may become a nudge now, so coaching never turns into noise."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

from bot.service.cards import MAX_FINDINGS
from bot.service.context import Who
from bot.store.nudges import Nudges
from coaching.model import Finding

SAME_RULE_GAP = timedelta(minutes=10)
_TICK = timedelta(microseconds=1)  # a nudge exactly 10 minutes old no longer holds one back
PRIORITY = {
    "judgement": 0,
    "defensive": 1,
    "condescending": 2,
    "overpromise": 3,
    "generic_empathy": 4,  # a hint, shown only when nothing else is
}


def most_useful(findings: Sequence[Finding]) -> list[Finding]:
    """Findings ordered judgement > defensive > condescending > overpromise > generic empathy."""
    kept = [f for f in findings if f.category in PRIORITY]
    return sorted(kept, key=lambda f: (PRIORITY[f.category], f.start))


def held_back(
    store: Nudges, who: Who, findings: Sequence[Finding], now: datetime
) -> Literal["cap", "cooldown"] | None:
    """Why a line with findings got no nudge: the daily cap, or the same rule too recently.
    None when nothing was held back, or the person muted their nudges (they know why)."""
    if not most_useful(findings):
        return None
    if who.row is not None and who.row.muted_until is not None and who.row.muted_until > now:
        return None
    p, ws, user = who.platform, who.workspace, who.user
    if store.count_nudges(p, ws, user, since=who.day_start(now)) >= who.ws.daily_cap:
        return "cap"
    return "cooldown"


def allowed(store: Nudges, who: Who, findings: Sequence[Finding], now: datetime) -> list[Finding]:
    """The findings to show now: not muted, one rule at most once in 10 min, under the daily cap."""
    if who.row is not None and who.row.muted_until is not None and who.row.muted_until > now:
        return []
    p, ws, user = who.platform, who.workspace, who.user
    room = who.ws.daily_cap - store.count_nudges(p, ws, user, since=who.day_start(now))
    chosen: list[Finding] = []
    for f in most_useful(findings):
        if len(chosen) >= min(room, MAX_FINDINGS):
            break
        if any(c.rule == f.rule for c in chosen):
            continue
        if store.count_nudges(p, ws, user, since=now - SAME_RULE_GAP + _TICK, rule=f.rule):
            continue
        chosen.append(f)
    return chosen
