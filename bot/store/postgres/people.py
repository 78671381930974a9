"""Settings and people on PostgreSQL: what needs a transaction (the rest is `bot.store.sql.people`,
shared with SQLite)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.store.base import Role, UserRow, WorkspaceRow
from bot.store.convert import aware
from bot.store.postgres.connection import Conn, PgDatabase, guarded, marks
from bot.store.sql.people import (
    USER_SELECT,
    WORKSPACE_INSERT,
    WORKSPACE_SELECT,
    SqlPeople,
    user_upsert,
    workspace_update,
)


class PgPeople(SqlPeople, PgDatabase):
    """`People` on the shared pool."""

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
        known = self.get_workspace(platform, workspace)  # one read
        if known is not None:
            return known
        with self.tx() as conn:
            _insert_workspace(conn, platform, workspace, default_lang, default_tz, installer)
            return _workspace(conn, platform, workspace)

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
        with self.tx() as conn:
            _insert_workspace(conn, platform, workspace)
            if changes:
                conn.execute(
                    marks(workspace_update(changes)), (*changes.values(), platform, workspace)
                )
            return _workspace(conn, platform, workspace)

    # ---- users ----

    def _upsert_user(
        self, conn: Conn, platform: str, workspace: str, user: str, sets: dict[str, Any]
    ) -> UserRow:
        sets = {**sets, "updated_at": self._clock.now()}
        conn.execute(marks(user_upsert(sets)), (platform, workspace, user, *sets.values()))
        row = self._user(conn, platform, workspace, user)
        assert row is not None
        return row

    def _user(self, conn: Conn, platform: str, workspace: str, user: str) -> UserRow | None:
        return self._user_row(
            conn.execute(marks(USER_SELECT), (platform, workspace, user)).fetchone()
        )

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
        with self.tx() as conn:
            return self._upsert_user(conn, platform, workspace, user, sets)

    @guarded
    def mute(self, platform: str, workspace: str, user: str, until: datetime | None) -> UserRow:
        muted = None if until is None else aware(until)
        with self.tx() as conn:
            return self._upsert_user(conn, platform, workspace, user, {"muted_until": muted})

    @guarded
    def set_role(self, platform: str, workspace: str, user: str, role: Role) -> UserRow:
        with self.tx() as conn:
            return self._upsert_user(conn, platform, workspace, user, {"role": role})

    @guarded
    def rekey_user(self, platform: str, workspace: str, old: str, new: str) -> bool:
        if old == new:
            return False
        keys = (platform, workspace)
        with self.tx() as conn:
            before = self._user(conn, platform, workspace, old)
            listed = conn.execute(
                "SELECT 1 FROM customers WHERE platform = %s AND workspace = %s AND user_id = %s",
                (*keys, old),
            ).fetchone()
            if before is None and listed is None:
                return False
            if before is not None:
                if self._user(conn, platform, workspace, new) is None:
                    conn.execute(
                        "UPDATE users SET user_id = %s"
                        " WHERE platform = %s AND workspace = %s AND user_id = %s",
                        (new, *keys, old),
                    )
                else:
                    if before.role == "lead":
                        self._upsert_user(conn, platform, workspace, new, {"role": "lead"})
                    conn.execute(
                        "DELETE FROM users WHERE platform = %s AND workspace = %s AND user_id = %s",
                        (*keys, old),
                    )
            if listed is not None:
                conn.execute(
                    "INSERT INTO customers (platform, workspace, user_id) VALUES (%s, %s, %s)"
                    " ON CONFLICT DO NOTHING",
                    (*keys, new),
                )
                conn.execute(
                    "DELETE FROM customers WHERE platform = %s AND workspace = %s AND user_id = %s",
                    (*keys, old),
                )
        return True


def _insert_workspace(
    conn: Conn,
    platform: str,
    workspace: str,
    default_lang: str = "es",
    default_tz: str = "UTC",
    installer: str | None = None,
) -> None:
    conn.execute(
        marks(WORKSPACE_INSERT), (platform, workspace, default_lang, default_tz, installer)
    )


def _workspace(conn: Conn, platform: str, workspace: str) -> WorkspaceRow:
    row = conn.execute(marks(WORKSPACE_SELECT), (platform, workspace)).fetchone()
    assert row is not None
    return WorkspaceRow(**row)
