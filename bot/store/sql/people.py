"""`People` where SQLite and PostgreSQL agree: the one-statement reads and writes, the user row."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from bot.store.base import Role, UserRow, WorkspaceRow
from bot.store.sql import SqlTables, guarded

USER_SELECT = (
    "SELECT platform, workspace, user_id, tz, lang, role, muted_until, updated_at FROM users"
    " WHERE platform = ? AND workspace = ? AND user_id = ?"
)
WORKSPACE_SELECT = "SELECT * FROM workspaces WHERE platform = ? AND id = ?"
WORKSPACE_INSERT = (
    "INSERT INTO workspaces (platform, id, default_lang, default_tz, installer)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
)


def user_upsert(sets: dict[str, Any]) -> str:
    """Insert the user with these columns, or set them on the stored one."""
    columns = ", ".join(sets)
    marks = ", ".join("?" for _ in sets)
    updates = ", ".join(f"{column} = excluded.{column}" for column in sets)
    return (
        f"INSERT INTO users (platform, workspace, user_id, {columns}) VALUES (?, ?, ?, {marks})"
        f" ON CONFLICT (platform, workspace, user_id) DO UPDATE SET {updates}"
    )


def workspace_update(columns: dict[str, Any]) -> str:
    """Set these settings on one workspace."""
    sets = ", ".join(f"{column} = ?" for column in columns)
    return f"UPDATE workspaces SET {sets} WHERE platform = ? AND id = ?"


class SqlPeople(SqlTables):
    """The `People` methods that are one statement in both dialects, and the steps of those that
    need a transaction: each store runs `_create_workspace`, `_update_workspace` and
    `_upsert_user` in its own."""

    def _create_workspace(
        self, platform: str, workspace: str, lang: str, tz: str, installer: str | None
    ) -> WorkspaceRow:
        raise NotImplementedError

    def _update_workspace(
        self, platform: str, workspace: str, changes: dict[str, Any]
    ) -> WorkspaceRow:
        raise NotImplementedError

    def _upsert_user(
        self, platform: str, workspace: str, user: str, sets: dict[str, Any]
    ) -> UserRow:
        """Insert or update the user with `sets` and `updated_at`; the row as stored."""
        raise NotImplementedError

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
        with self._writing(platform, workspace):
            return self._create_workspace(platform, workspace, default_lang, default_tz, installer)

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
        with self._writing(platform, workspace):
            return self._update_workspace(platform, workspace, changes)

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
        return self._set_user(platform, workspace, user, sets)

    @guarded
    def mute(self, platform: str, workspace: str, user: str, until: datetime | None) -> UserRow:
        muted = None if until is None else self._at(until)
        return self._set_user(platform, workspace, user, {"muted_until": muted})

    @guarded
    def set_role(self, platform: str, workspace: str, user: str, role: Role) -> UserRow:
        return self._set_user(platform, workspace, user, {"role": role})

    def _set_user(self, platform: str, workspace: str, user: str, sets: dict[str, Any]) -> UserRow:
        """`_upsert_user`, with the person's kept row forgotten around the write."""
        with self._writing(platform, workspace):
            return self._upsert_user(platform, workspace, user, sets)

    def _user_row(self, row: dict[str, Any] | None) -> UserRow | None:
        if row is None:
            return None
        return UserRow(
            platform=row["platform"],
            workspace=row["workspace"],
            user_id=row["user_id"],
            tz=row["tz"],
            lang=row["lang"],
            role=cast(Role, row["role"]),
            muted_until=self._instant(row["muted_until"]),
            updated_at=self._instant(row["updated_at"]),
        )

    @guarded
    def get_workspace(self, platform: str, workspace: str) -> WorkspaceRow | None:
        return self.reads.get(
            (platform, workspace), "workspace", lambda: self._workspace(platform, workspace)
        )

    def _workspace(self, platform: str, workspace: str) -> WorkspaceRow | None:
        row = self._one(WORKSPACE_SELECT, (platform, workspace))
        return None if row is None else WorkspaceRow(**row)

    @guarded
    def get_user(self, platform: str, workspace: str, user: str) -> UserRow | None:
        # kept a second like the workspace's settings (a person with no row too: in a tuple)
        kept = self.reads.get(
            (platform, workspace),
            ("user", user),
            lambda: (self._read_user(platform, workspace, user),),
        )
        return kept[0]

    def _read_user(self, platform: str, workspace: str, user: str) -> UserRow | None:
        return self._user_row(self._one(USER_SELECT, (platform, workspace, user)))

    @guarded
    def leads(self, platform: str, workspace: str) -> list[str]:
        return [
            row["user_id"]
            for row in self._all(
                "SELECT user_id FROM users WHERE platform = ? AND workspace = ? AND role = 'lead'"
                " ORDER BY user_id",
                (platform, workspace),
            )
        ]

    @guarded
    def set_channel_paused(self, platform: str, workspace: str, channel: str, paused: bool) -> None:
        with self._writing(platform, workspace):
            self._rowcount(
                "INSERT INTO channels (platform, workspace, channel_id, paused) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (platform, workspace, channel_id) DO UPDATE"
                " SET paused = excluded.paused",
                (platform, workspace, channel, paused),
            )

    @guarded
    def is_channel_paused(self, platform: str, workspace: str, channel: str) -> bool:
        paused = self.reads.get(
            (platform, workspace), "paused", lambda: self._paused(platform, workspace)
        )
        return channel in paused

    def _paused(self, platform: str, workspace: str) -> frozenset[str]:
        return self._column_set(
            "SELECT channel_id FROM channels WHERE platform = ? AND workspace = ? AND paused",
            (platform, workspace),
        )

    def _column_set(self, sql: str, params: tuple[str, ...]) -> frozenset[str]:
        """The first column of every row `sql` selects, as a set."""
        return frozenset(next(iter(row.values())) for row in self._all(sql, params))

    @guarded
    def add_customer(self, platform: str, workspace: str, user: str) -> bool:
        with self._writing(platform, workspace):
            return self._changed(
                "INSERT INTO customers (platform, workspace, user_id) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (platform, workspace, user),
            )

    @guarded
    def remove_customer(self, platform: str, workspace: str, user: str) -> bool:
        with self._writing(platform, workspace):
            return self._changed(
                "DELETE FROM customers WHERE platform = ? AND workspace = ? AND user_id = ?",
                (platform, workspace, user),
            )

    @guarded
    def customers(self, platform: str, workspace: str) -> frozenset[str]:
        return self.reads.get(
            (platform, workspace), "customers", lambda: self._customers(platform, workspace)
        )

    def _customers(self, platform: str, workspace: str) -> frozenset[str]:
        return self._column_set(
            "SELECT user_id FROM customers WHERE platform = ? AND workspace = ?",
            (platform, workspace),
        )

    @guarded
    def disable_rule(self, platform: str, workspace: str, rule: str, by: str | None = None) -> bool:
        with self._writing(platform, workspace):
            return self._changed(
                "INSERT INTO rules_disabled (platform, workspace, rule, disabled_by)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (platform, workspace, rule, by),
            )

    @guarded
    def enable_rule(self, platform: str, workspace: str, rule: str) -> bool:
        with self._writing(platform, workspace):
            return self._changed(
                "DELETE FROM rules_disabled WHERE platform = ? AND workspace = ? AND rule = ?",
                (platform, workspace, rule),
            )

    @guarded
    def disabled_rules(self, platform: str, workspace: str) -> frozenset[str]:
        return self.reads.get(
            (platform, workspace), "disabled", lambda: self._disabled(platform, workspace)
        )

    def _disabled(self, platform: str, workspace: str) -> frozenset[str]:
        return self._column_set(
            "SELECT rule FROM rules_disabled WHERE platform = ? AND workspace = ?",
            (platform, workspace),
        )
