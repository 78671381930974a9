"""Fatigue control: which findings may become a nudge now, so coaching never turns into noise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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


def muted(who: Who, now: datetime) -> bool:
    """The person muted their nudges until after `now`."""
    return who.row is not None and who.row.muted_until is not None and who.row.muted_until > now


@dataclass(frozen=True)
class Recent:
    """What a person's nudges so far allow: how many today (their day), and the rules nudged
    within the last 10 minutes. One read of the store (the truth every instance shares)."""

    today: int
    rules: frozenset[str]

    @classmethod
    def read(cls, store: Nudges, who: Who, now: datetime) -> Recent:
        day = who.day_start(now)
        window = now - SAME_RULE_GAP + _TICK
        times = store.nudge_times(who.platform, who.workspace, who.user, since=min(day, window))
        return cls(
            today=sum(1 for _, at in times if at >= day),
            rules=frozenset(rule for rule, at in times if at >= window),
        )


def held_back(
    store: Nudges,
    who: Who,
    findings: Sequence[Finding],
    now: datetime,
    recent: Recent | None = None,
) -> Literal["cap", "cooldown"] | None:
    """Why a line with findings got no nudge: the daily cap, or the same rule too recently.
    None when nothing was held back, or the person muted their nudges (they know why).
    `recent`: the counts the decision was made on (read again when not given)."""
    if not most_useful(findings) or muted(who, now):
        return None
    if recent is None:
        recent = Recent.read(store, who, now)
    return "cap" if recent.today >= who.ws.daily_cap else "cooldown"


def allowed(
    store: Nudges,
    who: Who,
    findings: Sequence[Finding],
    now: datetime,
    recent: Recent | None = None,
) -> list[Finding]:
    """The findings to show now: not muted, one rule at most once in 10 min, under the daily cap.
    `recent`: the person's counts when already read (inside their nudge turn)."""
    useful = most_useful(findings)
    if not useful or muted(who, now):
        return []
    if recent is None:
        recent = Recent.read(store, who, now)
    room = min(who.ws.daily_cap - recent.today, MAX_FINDINGS)
    chosen: list[Finding] = []
    for f in useful:
        if len(chosen) >= room:
            break
        if f.rule in recent.rules or any(c.rule == f.rule for c in chosen):
            continue
        chosen.append(f)
    return chosen
