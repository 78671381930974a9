"""Settings and people on SQLite: what needs a transaction or reads first (the rest is
`bot.store.sql.people`, shared with PostgreSQL)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.store.base import Role, UserRow, WorkspaceRow
from bot.store.convert import to_iso
from bot.store.sql.people import WORKSPACE_INSERT, SqlPeople, user_upsert, workspace_update
from bot.store.sqlite.connection import SqliteFile, guarded


class SqlitePeople(SqlPeople, SqliteFile):
    """`People` on the shared SQLite connection."""

    # ---- workspaces ----

    @guarded
    def ensure_workspace(
        self,
        platform: str,
        workspace: str,
        *,
        installer: str | None = None,
        default_lang: str = "es",
        default_tz: str = "UTC",
    ) -> WorkspaceRow:
        known = self.get_workspace(platform, workspace)
        if known is not None:
            return known  # a read: works while another process holds the write lock
        self._insert_workspace(platform, workspace, default_lang, default_tz, installer)
        row = self.get_workspace(platform, workspace)
        assert row is not None
        return row

    def _insert_workspace(
        self,
        platform: str,
        workspace: str,
        default_lang: str = "es",
        default_tz: str = "UTC",
        installer: str | None = None,
    ) -> None:
        self.db.execute(
            WORKSPACE_INSERT, (platform, workspace, default_lang, default_tz, installer)
        )

    @guarded
    def update_workspace(
        self,
        platform: str,
        workspace: str,
        *,
        default_lang: str | None = None,
        default_tz: str | None = None,
        daily_cap: int | None = None,
        reminder_lead_minutes: int | None = None,
    ) -> WorkspaceRow:
        changes = {
            "default_lang": default_lang,
            "default_tz": default_tz,
            "daily_cap": daily_cap,
            "reminder_lead_minutes": reminder_lead_minutes,
        }
        changes = {k: v for k, v in changes.items() if v is not None}
        with self.db.atomic():
            self._insert_workspace(platform, workspace)  # a write first: it waits for the lock
            if changes:
                self.db.execute(workspace_update(changes), (*changes.values(), platform, workspace))
        row = self.get_workspace(platform, workspace)
        assert row is not None
        return row

    # ---- users ----

    def _upsert_user(
        self, platform: str, workspace: str, user: str, sets: dict[str, Any]
    ) -> UserRow:
        sets = {**sets, "updated_at": to_iso(self._clock.now())}
        self.db.execute(user_upsert(sets), (platform, workspace, user, *sets.values()))
        row = self.get_user(platform, workspace, user)
        assert row is not None
        return row

    @guarded
    def set_user_settings(
        self,
        platform: str,
        workspace: str,
        user: str,
        *,
        tz: str | None = None,
        lang: str | None = None,
    ) -> UserRow:
        sets = {k: v for k, v in {"tz": tz, "lang": lang}.items() if v is not None}
        return self._upsert_user(platform, workspace, user, sets)

    @guarded
    def mute(self, platform: str, workspace: str, user: str, until: datetime | None) -> UserRow:
        muted = None if until is None else to_iso(until)
        return self._upsert_user(platform, workspace, user, {"muted_until": muted})

    @guarded
    def set_role(self, platform: str, workspace: str, user: str, role: Role) -> UserRow:
        return self._upsert_user(platform, workspace, user, {"role": role})

    @guarded
    def rekey_user(self, platform: str, workspace: str, old: str, new: str) -> bool:
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
