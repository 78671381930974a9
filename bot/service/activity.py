"""Which agents wrote in a conversation lately (ids and times only, never text), in memory.

Customer abuse is routed to them. Kept in memory on purpose: it only matters for 30 minutes,
and a restart forgets at most that.
"""

from __future__ import annotations

from datetime import datetime, timedelta

ACTIVE_WINDOW = timedelta(minutes=30)

_Key = tuple[str, str, str]  # platform, workspace, channel


class ActiveAgents:
    """Last time each agent wrote, per channel and thread."""

    def __init__(self) -> None:
        self._seen: dict[_Key, dict[tuple[str | None, str], datetime]] = {}

    def saw(
        self,
        platform: str,
        workspace: str,
        channel: str,
        thread: str | None,
        agent: str,
        at: datetime,
    ) -> None:
        """Remember that `agent` wrote in this channel (and thread) at `at`."""
        self._seen.setdefault((platform, workspace, channel), {})[(thread, agent)] = at

    def active(
        self, platform: str, workspace: str, channel: str, thread: str | None, now: datetime
    ) -> list[str]:
        """Agents who wrote here in the last 30 minutes: the thread's, else the whole channel's."""
        entries = self._seen.get((platform, workspace, channel), {})
        since = now - ACTIVE_WINDOW
        for stale in [k for k, at in entries.items() if at < since]:
            del entries[stale]
        in_thread = sorted({a for (th, a) in entries if thread is not None and th == thread})
        return in_thread or sorted({a for (_, a) in entries})
