"""A workspace's settings read once a second, not once per event: the rows every line reads
(the workspace row, its paused channels, customers, disabled rules and team phrases, and the
row of each person who writes: zone, language, role, mute) kept in memory for
`READ_TTL_SECONDS`.

A write through the same store forgets the workspace's entries at once, so this process always
reads its own writes. A write by another instance (PostgreSQL) or another process on the same
SQLite file is seen within `READ_TTL_SECONDS` at most: a lead's `/coach pausar`, a customer
added, a rule disabled or a team phrase added on one instance applies on the others from the
next second. A read that began before a write and ends after it is not kept (the generation
check), and an SQLite transaction that rolls back forgets everything (its writes may have been
read into the cache before they were undone).

The fatigue counts (a person's recent nudges) are never cached: the store stays their one truth,
read under the nudge turn.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

READ_TTL_SECONDS = 1.0  # how stale another instance's write may be seen (and no staler)

MAX_ENTRIES = 4_096  # past this, expired entries are dropped (all of them when none has expired)
# Expired entries are also dropped once per `ttl`: a person's row is kept per person, and with many
# people each seen once in a while the entries would otherwise pile up to MAX_ENTRIES.

_Workspace = tuple[str, str]  # (platform, workspace)


class ReadCache:
    """Values per workspace and key, each kept `ttl` seconds (0: nothing is kept)."""

    def __init__(
        self, ttl: float = READ_TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[_Workspace, dict[Hashable, tuple[float, object]]] = {}
        self._count = 0
        self._generation = 0  # moved by every forget: a read begun before it is not kept
        self._next_sweep = 0.0  # when expired entries are next dropped
        self._lock = threading.Lock()  # the service's worker threads share the store

    def get(self, workspace: _Workspace, key: Hashable, load: Callable[[], T]) -> T:
        """The kept value, or `load()` (then kept, unless a write came meanwhile or it is None:
        what is missing now, such as a workspace not yet created, is read again)."""
        if self.ttl <= 0:
            return load()
        now = self.clock()
        entries = self._entries.get(workspace)
        if entries is not None:
            kept = entries.get(key)
            if kept is not None and kept[0] > now:
                return kept[1]  # type: ignore[return-value]
        generation = self._generation
        value = load()
        if value is None:
            return value
        with self._lock:
            if self._generation == generation:
                if self._count >= MAX_ENTRIES or now >= self._next_sweep:
                    self._shrink(now)
                entries = self._entries.setdefault(workspace, {})
                self._count += key not in entries
                entries[key] = (now + self.ttl, value)
        return value

    def forget(self, platform: str, workspace: str) -> None:
        """Drop what is kept for one workspace (it was written to)."""
        with self._lock:
            self._generation += 1
            self._count -= len(self._entries.pop((platform, workspace), {}))

    def clear(self) -> None:
        """Drop everything (a transaction rolled back)."""
        with self._lock:
            self._generation += 1
            self._entries.clear()
            self._count = 0

    def _shrink(self, now: float) -> None:
        self._next_sweep = now + self.ttl
        for workspace, entries in list(self._entries.items()):
            for key in [k for k, (until, _) in entries.items() if until <= now]:
                del entries[key]
            if not entries:
                del self._entries[workspace]
        self._count = sum(len(entries) for entries in self._entries.values())
        if self._count >= MAX_ENTRIES:
            self._entries.clear()
            self._count = 0

    def __len__(self) -> int:
        return self._count
