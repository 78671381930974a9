"""WAL checkpoints off the event loop's connection.

SQLite copies the write-ahead log back into the database file (and syncs it) at the commit that
fills the log past 1,000 pages. On a connection served from an event loop that commit stalls every
request behind it: measured with `bench/bench_slack.py` at 1,000 events/s, the ack p99 went from
60-140 ms to 3-16 ms once the loop's connection stopped checkpointing. `Checkpoints` takes them on
a connection of its own, from a worker thread; a PASSIVE checkpoint never blocks the writer.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

__all__ = ["CHECKPOINT_SECONDS", "Checkpoints"]

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = 1.0  # how often the loop's owner takes one (app/runtime.py)
# Past this many frames (one 32 KB region of the -shm index), a checkpoint that could not catch up
# with the writer ends with a RESTART attempt that never waits: under steady writes a PASSIVE
# checkpoint always trails the last commit, so the log never starts over, and the file and the
# -shm index mapped in every process grew with each event (3.5 MB of RSS after 100,000 events).
RESTART_FRAMES = 4_096


class Checkpoints:
    """PASSIVE checkpoints of one SQLite file on a connection of their own; thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._closed = False

    def take(self) -> tuple[int, int] | None:
        """Copy what the log holds into the database file, as far as readers allow; returns
        (frames in the log, frames copied), or None when the file refused (busy, read-only: the
        next round tries again)."""
        with self._lock:
            if self._closed:
                return None
            try:
                if self._conn is None:
                    self._conn = sqlite3.connect(
                        self.path, timeout=0.0, isolation_level=None, check_same_thread=False
                    )
                row = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                if int(row[1]) >= RESTART_FRAMES:
                    # what the writer added meanwhile, under its lock, then the log starts over
                    # at the next commit; busy (the writer or a reader is there): next round
                    row = self._conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
            except sqlite3.Error as exc:
                log.debug("checkpoint of %s skipped: %s", self.path.name, exc)
                return None
            return int(row[1]), int(row[2])

    def close(self) -> None:
        """Release the connection (before the store's own, so that one closes last and leaves the
        file checkpointed); later `take` calls do nothing."""
        with self._lock:
            self._closed = True
            if self._conn is not None:
                self._conn.close()
                self._conn = None
