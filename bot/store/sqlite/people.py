"""Settings and people on SQLite: the writes that need a transaction or read first (the rest is
`bot.store.sql.people`, shared with PostgreSQL)."""

from __future__ import annotations

from typing import Any

from bot.store.base import UserRow, WorkspaceRow
from bot.store.sql.people import WORKSPACE_INSERT, SqlPeople, user_upsert, workspace_update
from bot.store.sqlite.connection import SqliteFile, guarded


class SqlitePeople(SqlPeople, SqliteFile):
    """`People` on the shared SQLite connection."""

    def _create_workspace(
        self, platform: str, workspace: str, lang: str, tz: str, installer: str | None
    ) -> WorkspaceRow:
        self.db.execute(WORKSPACE_INSERT, (platform, workspace, lang, tz, installer))
        row = self.get_workspace(platform, workspace)
        assert row is not None
        return row

    def _update_workspace(
        self, platform: str, workspace: str, changes: dict[str, Any]
    ) -> WorkspaceRow:
        with self.db.atomic():
            # a write first: it waits for the lock
            self.db.execute(WORKSPACE_INSERT, (platform, workspace, "es", "UTC", None))
            if changes:
                self.db.execute(workspace_update(changes), (*changes.values(), platform, workspace))
        row = self.get_workspace(platform, workspace)
        assert row is not None
        return row

    def _upsert_user(
        self, platform: str, workspace: str, user: str, sets: dict[str, Any]
    ) -> UserRow:
        sets = {**sets, "updated_at": self._at(self._clock.now())}
        self.db.execute(user_upsert(sets), (platform, workspace, user, *sets.values()))
        row = self.get_user(platform, workspace, user)
        assert row is not None
        return row

    def rekey_user(self, platform: str, workspace: str, old: str, new: str) -> bool:
        """The person's rows moved (the customers list among them: forgotten, not kept)."""
        with self._writing(platform, workspace):
            return self._rekey(platform, workspace, old, new)

    @guarded
    def _rekey(self, platform: str, workspace: str, old: str, new: str) -> bool:
        """Reads first, so a user with nothing under `old` costs no write."""
        if old == new:
            return False
        before = self.get_user(platform, workspace, old)
        listed = old in self.customers(platform, workspace)
        if before is None and not listed:
            return False
        keys = (platform, workspace)
        with self.db.atomic():
            if before is not None:
                after = self.get_user(platform, workspace, new)
                if after is None:
                    self.db.execute(
                        "UPDATE users SET user_id = ?"
                        " WHERE platform = ? AND workspace = ? AND user_id = ?",
                        (new, *keys, old),
                    )
                else:
                    if before.role == "lead":
                        self._upsert_user(platform, workspace, new, {"role": "lead"})
                    self.db.execute(
                        "DELETE FROM users WHERE platform = ? AND workspace = ? AND user_id = ?",
                        (*keys, old),
                    )
            if listed:
                self.db.execute(
                    "INSERT OR IGNORE INTO customers (platform, workspace, user_id)"
                    " VALUES (?, ?, ?)",
                    (*keys, new),
                )
                self.db.execute(
                    "DELETE FROM customers WHERE platform = ? AND workspace = ? AND user_id = ?",
                    (*keys, old),
                )
        return True
