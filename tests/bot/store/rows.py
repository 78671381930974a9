"""Rows the store tests write: one promise, one nudge, in one workspace."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store import NewNudge, NewReminder
from tests.bot.conftest import T0

P, W = "slack", "T1"


def promise(
    user: str = "U1", due: datetime = T0 + timedelta(hours=1), text: str = "le llamo"
) -> NewReminder:
    return NewReminder(
        platform=P,
        workspace=W,
        user=user,
        channel="C1",
        text=text,
        due_at=due,
        thread="1700000000.000100",
        message_ref="1700000000.000200",
        permalink="https://example.slack.com/archives/C1/p1700000000000200",
        lang="es",
    )


def nudge(
    user: str = "U1", rule: str = "deberia", category: str = "judgement", at: datetime = T0
) -> NewNudge:
    return NewNudge(P, W, user, "C1", rule, category, "usted debería haber leído", at)
