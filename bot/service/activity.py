"""Which agents wrote in a conversation lately (ids and times only, never text), in memory.

Customer abuse is routed to them. Kept in memory on purpose: it only matters for 30 minutes,
and a restart forgets at most that. Memory is bounded whatever the traffic: per channel the
most recent writers only (`MAX_PER_CHANNEL`), and `MAX_CHANNELS` channels at most, the least
recently written-in forgotten first; entries older than their window go as new lines come in.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta
from threading import Lock
from typing import Generic, TypeVar

from bot.model import IncomingMessage

ACTIVE_WINDOW = timedelta(minutes=30)
# Who works a channel at all: a customer's first line in a new conversation reaches them.
KNOWN_WINDOW = timedelta(days=7)
MAX_PER_CHANNEL = 500  # writers remembered per channel (the most recent ones)
MAX_CHANNELS = 5_000  # channels remembered (the most recently written-in)

_Key = tuple[str, str, str]  # platform, workspace, channel
K = TypeVar("K")


class _Recent(Generic[K]):
    """Per channel, the last time each key was seen, oldest first; bounded as above."""

    def __init__(self, window: timedelta) -> None:
        self.window = window
        self._channels: OrderedDict[_Key, dict[K, datetime]] = OrderedDict()

    def saw(self, channel: _Key, key: K, at: datetime) -> None:
        entries = self._channels.get(channel)
        if entries is None:
            entries = self._channels[channel] = {}
            while len(self._channels) > MAX_CHANNELS:
                self._channels.popitem(last=False)
        else:
            self._channels.move_to_end(channel)
            entries.pop(key, None)  # re-inserted below: the dict stays ordered by time
        entries[key] = at
        since = at - self.window
        while True:  # oldest first: stop at the first entry still in the window
            first = next(iter(entries))
            if entries[first] >= since:
                break
            del entries[first]
        while len(entries) > MAX_PER_CHANNEL:
            del entries[next(iter(entries))]

    def since(self, channel: _Key, now: datetime) -> dict[K, datetime]:
        """The channel's entries within the window (a copy)."""
        entries = self._channels.get(channel)
        if entries is None:
            return {}
        since = now - self.window
        for stale in [k for k, at in entries.items() if at < since]:
            del entries[stale]
        if not entries:
            del self._channels[channel]
        return dict(entries)

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._channels.values())


class ActiveAgents:
    """Last time each agent wrote, per channel and thread (service calls may run on several
    threads: each method holds the lock)."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._seen: _Recent[tuple[str | None, str]] = _Recent(ACTIVE_WINDOW)
        self._known: _Recent[str] = _Recent(KNOWN_WINDOW)

    def saw(self, line: IncomingMessage, at: datetime) -> None:
        """Remember that the line's author wrote in its channel (and thread) at `at`."""
        key = (line.platform, line.workspace, line.channel)
        with self._lock:
            self._seen.saw(key, (line.thread, line.author), at)
            self._known.saw(key, line.author, at)

    def known(self, platform: str, workspace: str, channel: str, now: datetime) -> list[str]:
        """Agents who wrote in this channel in the last 7 days (since this process started)."""
        with self._lock:
            return sorted(self._known.since((platform, workspace, channel), now))

    def active(
        self, platform: str, workspace: str, channel: str, thread: str | None, now: datetime
    ) -> list[str]:
        """Agents who wrote here in the last 30 minutes: the thread's, else the whole channel's."""
        with self._lock:
            entries = self._seen.since((platform, workspace, channel), now)
        in_thread = sorted({a for (th, a) in entries if thread is not None and th == thread})
        return in_thread or sorted({a for (_, a) in entries})

    def __len__(self) -> int:
        """Entries held (both windows), for tests and benches."""
        with self._lock:
            return len(self._seen) + len(self._known)
