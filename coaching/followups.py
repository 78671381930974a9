"""Follow-up promises: placeholder until the resolver lands (owned by the follow-ups work)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from coaching.model import FollowUp, Lang
from coaching.normalize import Folded


def find_followups(folded: Folded, lang: Lang, now: datetime, tz: ZoneInfo) -> list[FollowUp]:
    """Commitments by the agent to act later, each resolved to an aware datetime in `tz`."""
    return []
