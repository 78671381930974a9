"""Which agents wrote in a conversation lately (ids and times only, never text), in memory.

Customer abuse is routed to them. Kept in memory on purpose: it only matters for 30 minutes,
and a restart forgets at most that.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from threading import Lock

from bot.model import IncomingMessage

ACTIVE_WINDOW = timedelta(minutes=30)
# Who works a channel at all: a customer's first line in a new conversation reaches them.
KNOWN_WINDOW = timedelta(days=7)

_Key = tuple[str, str, str]  # platform, workspace, channel


class ActiveAgents:
    """Last time each agent wrote, per channel and thread (service calls may run on several
    threads: each method holds the lock)."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._seen: dict[_Key, dict[tuple[str | None, str], datetime]] = {}
        self._known: dict[_Key, dict[str, datetime]] = {}

    def saw(self, line: IncomingMessage, at: datetime) -> None:
        """Remember that the line's author wrote in its channel (and thread) at `at`."""
        key = (line.platform, line.workspace, line.channel)
        with self._lock:
            self._seen.setdefault(key, {})[(line.thread, line.author)] = at
            self._known.setdefault(key, {})[line.author] = at

    def known(self, platform: str, workspace: str, channel: str, now: datetime) -> list[str]:
        """Agents who wrote in this channel in the last 7 days (since this process started)."""
        with self._lock:
            entries = self._known.get((platform, workspace, channel), {})
            since = now - KNOWN_WINDOW
            for stale in [a for a, at in entries.items() if at < since]:
                del entries[stale]
            return sorted(entries)

    def active(
        self, platform: str, workspace: str, channel: str, thread: str | None, now: datetime
    ) -> list[str]:
        """Agents who wrote here in the last 30 minutes: the thread's, else the whole channel's."""
        with self._lock:
            entries = self._seen.get((platform, workspace, channel), {})
            since = now - ACTIVE_WINDOW
            for stale in [k for k, at in entries.items() if at < since]:
                del entries[stale]
            entries = dict(entries)
        in_thread = sorted({a for (th, a) in entries if thread is not None and th == thread})
        return in_thread or sorted({a for (_, a) in entries})
