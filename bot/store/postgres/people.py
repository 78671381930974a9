"""Settings and people on PostgreSQL: the writes that need a transaction (the rest is
`bot.store.sql.people`, shared with SQLite)."""

from __future__ import annotations

from typing import Any

from bot.store.base import UserRow, WorkspaceRow
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

    def _create_workspace(
        self, platform: str, workspace: str, lang: str, tz: str, installer: str | None
    ) -> WorkspaceRow:
        with self.tx() as conn:
            _insert_workspace(conn, platform, workspace, lang, tz, installer)
            return _workspace(conn, platform, workspace)

    def _update_workspace(
        self, platform: str, workspace: str, changes: dict[str, Any]
    ) -> WorkspaceRow:
        with self.tx() as conn:
            _insert_workspace(conn, platform, workspace)
            if changes:
                conn.execute(
                    marks(workspace_update(changes)), (*changes.values(), platform, workspace)
                )
            return _workspace(conn, platform, workspace)

    def _upsert_user(
        self, platform: str, workspace: str, user: str, sets: dict[str, Any]
    ) -> UserRow:
        with self.tx() as conn:
            return self._upsert_user_in(conn, platform, workspace, user, sets)

    def _upsert_user_in(
        self, conn: Conn, platform: str, workspace: str, user: str, sets: dict[str, Any]
    ) -> UserRow:
        sets = {**sets, "updated_at": self._at(self._clock.now())}
        conn.execute(marks(user_upsert(sets)), (platform, workspace, user, *sets.values()))
        row = self._user(conn, platform, workspace, user)
        assert row is not None
        return row

    def _user(self, conn: Conn, platform: str, workspace: str, user: str) -> UserRow | None:
        return self._user_row(
            conn.execute(marks(USER_SELECT), (platform, workspace, user)).fetchone()
        )

    def rekey_user(self, platform: str, workspace: str, old: str, new: str) -> bool:
        """The person's rows moved (the customers list among them: forgotten, not kept)."""
        with self._writing(platform, workspace):
            return self._rekey(platform, workspace, old, new)

    @guarded
    def _rekey(self, platform: str, workspace: str, old: str, new: str) -> bool:
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
                        self._upsert_user_in(conn, platform, workspace, new, {"role": "lead"})
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
