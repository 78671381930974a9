"""Read what no code path reads back (the feedback table), straight from a SQLite store."""

from __future__ import annotations

from datetime import datetime

from bot.store import SqliteStore
from bot.store.convert import from_iso_required


def feedback_of(store: object, nudge_id: int) -> list[tuple[str, str, datetime]]:
    """(user, kind, at) of every feedback row of the nudge, in the order given."""
    assert isinstance(store, SqliteStore), f"no peek for {type(store).__name__} yet"
    return [
        (row["user"], row["kind"], from_iso_required(row["at"]))
        for row in store.db.query(
            "SELECT user, kind, at FROM feedback WHERE nudge_id = ? ORDER BY id", (nudge_id,)
        )
    ]
