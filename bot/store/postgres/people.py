"""Settings and people on PostgreSQL: workspaces, users (zone, language, role, mute), channels,
customers and the rules a lead turned off."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from bot.store.base import Role, UserRow, WorkspaceRow
from bot.store.convert import aware
from bot.store.postgres.connection import Conn, PgDatabase, guarded

_USER_COLUMNS = "platform, workspace, user_id, tz, lang, role, muted_until, updated_at"


class PgPeople(PgDatabase):
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
        with self.statement() as conn:  # known: one read
            row = conn.execute(
                "SELECT * FROM workspaces WHERE platform = %s AND id = %s", (platform, workspace)
            ).fetchone()
        if row is not None:
            return WorkspaceRow(**row)
        with self.tx() as conn:
            _insert_workspace(conn, platform, workspace, default_lang, default_tz, installer)
            return _workspace(conn, platform, workspace)

    @guarded
    def get_workspace(self, platform: str, workspace: str) -> WorkspaceRow | None:
        row = self._one(
            "SELECT * FROM workspaces WHERE platform = %s AND id = %s", (platform, workspace)
        )
        return None if row is None else WorkspaceRow(**row)

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
                sets = ", ".join(f"{column} = %s" for column in changes)
                conn.execute(
                    f"UPDATE workspaces SET {sets} WHERE platform = %s AND id = %s",
                    (*changes.values(), platform, workspace),
                )
            return _workspace(conn, platform, workspace)

    # ---- users ----

    @guarded
    def get_user(self, platform: str, workspace: str, user: str) -> UserRow | None:
        with self.statement() as conn:
            return _user(conn, platform, workspace, user)

    def _upsert_user(
        self, conn: Conn, platform: str, workspace: str, user: str, sets: dict[str, Any]
    ) -> UserRow:
        sets = {**sets, "updated_at": self._clock.now()}
        columns = ", ".join(sets)
        marks = ", ".join("%s" for _ in sets)
        updates = ", ".join(f"{column} = excluded.{column}" for column in sets)
        conn.execute(
            f"INSERT INTO users (platform, workspace, user_id, {columns})"
            f" VALUES (%s, %s, %s, {marks})"
            f" ON CONFLICT (platform, workspace, user_id) DO UPDATE SET {updates}",
            (platform, workspace, user, *sets.values()),
        )
        row = _user(conn, platform, workspace, user)
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
    def leads(self, platform: str, workspace: str) -> list[str]:
        return [
            row["user_id"]
            for row in self._all(
                "SELECT user_id FROM users WHERE platform = %s AND workspace = %s"
                " AND role = 'lead' ORDER BY user_id",
                (platform, workspace),
            )
        ]

    @guarded
    def rekey_user(self, platform: str, workspace: str, old: str, new: str) -> bool:
        """Move the role and customer listing kept under `old` to the same person's `new` id
        (a lead never loses the role; settings already under `new` win); True when any moved."""
        if old == new:
            return False
        keys = (platform, workspace)
        with self.tx() as conn:
            before = _user(conn, platform, workspace, old)
            listed = conn.execute(
                "SELECT 1 FROM customers WHERE platform = %s AND workspace = %s AND user_id = %s",
                (*keys, old),
            ).fetchone()
            if before is None and listed is None:
                return False
            if before is not None:
                if _user(conn, platform, workspace, new) is None:
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

    # ---- channels, customers, rules ----

    @guarded
    def set_channel_paused(self, platform: str, workspace: str, channel: str, paused: bool) -> None:
        self._rowcount(
            "INSERT INTO channels (platform, workspace, channel_id, paused)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (platform, workspace, channel_id)"
            " DO UPDATE SET paused = excluded.paused",
            (platform, workspace, channel, paused),
        )

    @guarded
    def is_channel_paused(self, platform: str, workspace: str, channel: str) -> bool:
        row = self._one(
            "SELECT paused FROM channels"
            " WHERE platform = %s AND workspace = %s AND channel_id = %s",
            (platform, workspace, channel),
        )
        return bool(row and row["paused"])

    @guarded
    def add_customer(self, platform: str, workspace: str, user: str) -> bool:
        return self._changed(
            "INSERT INTO customers (platform, workspace, user_id) VALUES (%s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (platform, workspace, user),
        )

    @guarded
    def remove_customer(self, platform: str, workspace: str, user: str) -> bool:
        return self._changed(
            "DELETE FROM customers WHERE platform = %s AND workspace = %s AND user_id = %s",
            (platform, workspace, user),
        )

    @guarded
    def customers(self, platform: str, workspace: str) -> frozenset[str]:
        return frozenset(
            row["user_id"]
            for row in self._all(
                "SELECT user_id FROM customers WHERE platform = %s AND workspace = %s",
                (platform, workspace),
            )
        )

    @guarded
    def disable_rule(self, platform: str, workspace: str, rule: str, by: str | None = None) -> bool:
        return self._changed(
            "INSERT INTO rules_disabled (platform, workspace, rule, disabled_by)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (platform, workspace, rule, by),
        )

    @guarded
    def enable_rule(self, platform: str, workspace: str, rule: str) -> bool:
        return self._changed(
            "DELETE FROM rules_disabled WHERE platform = %s AND workspace = %s AND rule = %s",
            (platform, workspace, rule),
        )

    @guarded
    def disabled_rules(self, platform: str, workspace: str) -> frozenset[str]:
        return frozenset(
            row["rule"]
            for row in self._all(
                "SELECT rule FROM rules_disabled WHERE platform = %s AND workspace = %s",
                (platform, workspace),
            )
        )


def _insert_workspace(
    conn: Conn,
    platform: str,
    workspace: str,
    default_lang: str = "es",
    default_tz: str = "UTC",
    installer: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO workspaces (platform, id, default_lang, default_tz, installer)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (platform, workspace, default_lang, default_tz, installer),
    )


def _workspace(conn: Conn, platform: str, workspace: str) -> WorkspaceRow:
    row = conn.execute(
        "SELECT * FROM workspaces WHERE platform = %s AND id = %s", (platform, workspace)
    ).fetchone()
    assert row is not None
    return WorkspaceRow(**row)


def _user(conn: Conn, platform: str, workspace: str, user: str) -> UserRow | None:
    row = conn.execute(
        f"SELECT {_USER_COLUMNS} FROM users"
        " WHERE platform = %s AND workspace = %s AND user_id = %s",
        (platform, workspace, user),
    ).fetchone()
    if row is None:
        return None
    return UserRow(**{**row, "role": cast(Role, row["role"])})
