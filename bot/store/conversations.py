"""What makes a conversation hard, per agent (never any text): how many nudges, whether the
customer was abusive, whether it was escalated; the customer's language and form of address;
and whether the agent was already offered a follow-up message for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class ConversationRow:
    id: int
    platform: str
    workspace: str
    channel: str
    thread: str  # "" for a channel's main timeline
    agent: str
    last_at: datetime
    nudges: int
    abuse: bool
    escalated: bool
    lang: str | None  # the customer's
    register: str | None  # the customer's form of address: usted, tu, vos, you
    offered_at: datetime | None


class Conversations(Protocol):
    """Hard conversations and follow-up offers. Methods raise `StoreError`."""

    def touch_conversation(
        self,
        platform: str,
        workspace: str,
        channel: str,
        thread: str | None,
        agent: str,
        *,
        at: datetime,
        nudges: int = 0,
        abuse: bool = False,
        lang: str | None = None,
        register: str | None = None,
    ) -> None:
        """Record activity in the agent's conversation (adding nudges, setting abuse)."""
        ...

    def mark_escalated(self, platform: str, workspace: str, channel: str, agent: str) -> int:
        """Mark the agent's conversations in the channel escalated; how many."""
        ...

    def quiet_hard_conversations(
        self, quiet_since: datetime, min_nudges: int
    ) -> list[ConversationRow]:
        """Conversations silent since `quiet_since` with abuse, an escalation or `min_nudges`
        nudges, not yet offered a follow-up, oldest first."""
        ...

    def mark_offered(self, conversation_id: int, at: datetime) -> bool:
        """Record the offer; False if it was already made (so it is made once)."""
        ...

    def get_conversation(self, conversation_id: int) -> ConversationRow | None: ...
