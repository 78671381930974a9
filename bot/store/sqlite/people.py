"""Settings and people on SQLite: workspaces, users (zone, language, role, mute), channels,
customers and the rules a lead turned off."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from bot.store.base import Role, UserRow, WorkspaceRow
from bot.store.convert import from_iso, to_iso
from bot.store.sqlite.connection import SqliteFile, guarded


class SqlitePeople(SqliteFile):
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
            "INSERT OR IGNORE INTO workspaces (platform, id, default_lang, default_tz, installer)"
            " VALUES (?, ?, ?, ?, ?)",
            (platform, workspace, default_lang, default_tz, installer),
        )

    @guarded
    def get_workspace(self, platform: str, workspace: str) -> WorkspaceRow | None:
        row = self._one(
            "SELECT * FROM workspaces WHERE platform = ? AND id = ?", (platform, workspace)
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
        with self.db.atomic():
            self._insert_workspace(platform, workspace)  # a write first: it waits for the lock
            if changes:
                sets = ", ".join(f"{column} = ?" for column in changes)
                self.db.execute(
                    f"UPDATE workspaces SET {sets} WHERE platform = ? AND id = ?",
                    (*changes.values(), platform, workspace),
                )
        row = self.get_workspace(platform, workspace)
        assert row is not None
        return row

    # ---- users ----

    @guarded
    def get_user(self, platform: str, workspace: str, user: str) -> UserRow | None:
        row = self._one(
            "SELECT * FROM users WHERE platform = ? AND workspace = ? AND user_id = ?",
            (platform, workspace, user),
        )
        if row is None:
            return None
        return UserRow(
            platform=row["platform"],
            workspace=row["workspace"],
            user_id=row["user_id"],
            tz=row["tz"],
            lang=row["lang"],
            role=cast(Role, row["role"]),
            muted_until=from_iso(row["muted_until"]),
            updated_at=from_iso(row["updated_at"]),
        )

    def _upsert_user(
        self, platform: str, workspace: str, user: str, sets: dict[str, Any]
    ) -> UserRow:
        sets = {**sets, "updated_at": to_iso(self._clock.now())}
        columns = ", ".join(sets)
        marks = ", ".join("?" for _ in sets)
        updates = ", ".join(f"{column} = excluded.{column}" for column in sets)
        self.db.execute(
            f"INSERT INTO users (platform, workspace, user_id, {columns}) VALUES (?, ?, ?, {marks})"
            f" ON CONFLICT (platform, workspace, user_id) DO UPDATE SET {updates}",
            (platform, workspace, user, *sets.values()),
        )
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
    def leads(self, platform: str, workspace: str) -> list[str]:
        return [
            row["user_id"]
            for row in self.db.query(
                "SELECT user_id FROM users WHERE platform = ? AND workspace = ? AND role = 'lead'"
                " ORDER BY user_id",
                (platform, workspace),
            )
        ]

    @guarded
    def rekey_user(self, platform: str, workspace: str, old: str, new: str) -> bool:
        """Move the role and customer listing kept under `old` to the same person's `new` id
        (a lead never loses the role; settings already under `new` win); True when any moved.

        Reads first, so a user with nothing under `old` costs no write.
        """
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

    # ---- channels, customers, rules ----

    @guarded
    def set_channel_paused(self, platform: str, workspace: str, channel: str, paused: bool) -> None:
        self.db.execute(
            "INSERT INTO channels (platform, workspace, channel_id, paused) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (platform, workspace, channel_id) DO UPDATE SET paused = excluded.paused",
            (platform, workspace, channel, int(paused)),
        )

    @guarded
    def is_channel_paused(self, platform: str, workspace: str, channel: str) -> bool:
        row = self._one(
            "SELECT paused FROM channels WHERE platform = ? AND workspace = ? AND channel_id = ?",
            (platform, workspace, channel),
        )
        return bool(row and row["paused"])

    @guarded
    def add_customer(self, platform: str, workspace: str, user: str) -> bool:
        return self._changed(
            "INSERT OR IGNORE INTO customers (platform, workspace, user_id) VALUES (?, ?, ?)",
            (platform, workspace, user),
        )

    @guarded
    def remove_customer(self, platform: str, workspace: str, user: str) -> bool:
        return self._changed(
            "DELETE FROM customers WHERE platform = ? AND workspace = ? AND user_id = ?",
            (platform, workspace, user),
        )

    @guarded
    def customers(self, platform: str, workspace: str) -> frozenset[str]:
        return frozenset(
            row["user_id"]
            for row in self.db.query(
                "SELECT user_id FROM customers WHERE platform = ? AND workspace = ?",
                (platform, workspace),
            )
        )

    @guarded
    def disable_rule(self, platform: str, workspace: str, rule: str, by: str | None = None) -> bool:
        return self._changed(
            "INSERT OR IGNORE INTO rules_disabled (platform, workspace, rule, disabled_by)"
            " VALUES (?, ?, ?, ?)",
            (platform, workspace, rule, by),
        )

    @guarded
    def enable_rule(self, platform: str, workspace: str, rule: str) -> bool:
        return self._changed(
            "DELETE FROM rules_disabled WHERE platform = ? AND workspace = ? AND rule = ?",
            (platform, workspace, rule),
        )

    @guarded
    def disabled_rules(self, platform: str, workspace: str) -> frozenset[str]:
        return frozenset(
            row["rule"]
            for row in self.db.query(
                "SELECT rule FROM rules_disabled WHERE platform = ? AND workspace = ?",
                (platform, workspace),
            )
        )
