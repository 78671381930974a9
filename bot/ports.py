"""Ports the bot core talks through: time, and delivering messages nobody asked for (reminders).

The service itself is synchronous and platform-free:

    service.on_message(IncomingMessage) -> list[Reply]
    service.on_command(Command)         -> list[Reply]
    service.on_action(Action)           -> list[Reply]

Adapters render those replies in answer to the event. Reminders fire later, so the service hands
them to a Notifier that the door provides.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from bot.model import DirectMessage


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class Notifier(Protocol):
    async def deliver(self, message: DirectMessage) -> None:
        """Send a direct message; raise on failure so the reminder stays pending and is retried."""
        ...


class ConversationRefs(Protocol):
    """How to reach each person privately, kept per door as the door's own JSON (Teams)."""

    def save_conversation_ref(
        self, platform: str, workspace: str, user: str, ref_json: str
    ) -> None:
        """Keep the serialised reference needed to message the user proactively."""
        ...

    def conversation_ref(self, platform: str, workspace: str, user: str) -> str | None:
        """The stored reference JSON, or None."""
        ...
