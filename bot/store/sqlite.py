"""`SqliteStore`: the `Store` on one SQLite file via sqlite-utils (WAL, migrations at start).

The connection lives in `connection.py`, the reminders table in `reminder_rows.py`; this module
holds the rest: workspaces, users, channels, customers, rules, nudges, feedback, dedupe and
Teams conversation references.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from bot.store.base import (
    ON_TIME_GRACE,
    NewNudge,
    NudgeRow,
    Outcome,
    Role,
    TeamStats,
    UserRow,
    WorkspaceRow,
)
from bot.store.connection import guarded
from bot.store.convert import excerpt, from_iso, from_iso_required, to_iso
from bot.store.reminder_rows import ReminderRows
from bot.store.stats import team_stats


class SqliteStore(ReminderRows):
    """All of Calma's state in one SQLite file."""

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
        """Create the workspace with these defaults if new; return it as stored."""
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
        """The workspace, or None if never seen."""
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
        """Change the given settings (None leaves one as is), creating the workspace if needed."""
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
        """The user's settings, or None if never stored."""
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
        """Set time zone and/or language (None leaves one as is)."""
        sets = {k: v for k, v in {"tz": tz, "lang": lang}.items() if v is not None}
        return self._upsert_user(platform, workspace, user, sets)

    @guarded
    def mute(self, platform: str, workspace: str, user: str, until: datetime | None) -> UserRow:
        """Silence nudges for the user until `until`; None unmutes."""
        muted = None if until is None else to_iso(until)
        return self._upsert_user(platform, workspace, user, {"muted_until": muted})

    @guarded
    def set_role(self, platform: str, workspace: str, user: str, role: Role) -> UserRow:
        """Make the user a lead or an agent."""
        return self._upsert_user(platform, workspace, user, {"role": role})

    @guarded
    def leads(self, platform: str, workspace: str) -> list[str]:
        """User ids with the lead role, sorted."""
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
        """Pause or resume coaching in a channel."""
        self.db.execute(
            "INSERT INTO channels (platform, workspace, channel_id, paused) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (platform, workspace, channel_id) DO UPDATE SET paused = excluded.paused",
            (platform, workspace, channel, int(paused)),
        )

    @guarded
    def is_channel_paused(self, platform: str, workspace: str, channel: str) -> bool:
        """True when a lead paused the channel."""
        row = self._one(
            "SELECT paused FROM channels WHERE platform = ? AND workspace = ? AND channel_id = ?",
            (platform, workspace, channel),
        )
        return bool(row and row["paused"])

    @guarded
    def add_customer(self, platform: str, workspace: str, user: str) -> bool:
        """List a user as a customer; True when newly added."""
        return self._changed(
            "INSERT OR IGNORE INTO customers (platform, workspace, user_id) VALUES (?, ?, ?)",
            (platform, workspace, user),
        )

    @guarded
    def remove_customer(self, platform: str, workspace: str, user: str) -> bool:
        """Unlist a customer; True when one was removed."""
        return self._changed(
            "DELETE FROM customers WHERE platform = ? AND workspace = ? AND user_id = ?",
            (platform, workspace, user),
        )

    @guarded
    def customers(self, platform: str, workspace: str) -> frozenset[str]:
        """User ids a lead listed as customers."""
        return frozenset(
            row["user_id"]
            for row in self.db.query(
                "SELECT user_id FROM customers WHERE platform = ? AND workspace = ?",
                (platform, workspace),
            )
        )

    @guarded
    def disable_rule(self, platform: str, workspace: str, rule: str, by: str | None = None) -> bool:
        """Turn a rule off for the workspace; True when it was on."""
        return self._changed(
            "INSERT OR IGNORE INTO rules_disabled (platform, workspace, rule, disabled_by)"
            " VALUES (?, ?, ?, ?)",
            (platform, workspace, rule, by),
        )

    @guarded
    def enable_rule(self, platform: str, workspace: str, rule: str) -> bool:
        """Turn a rule back on; True when it was off."""
        return self._changed(
            "DELETE FROM rules_disabled WHERE platform = ? AND workspace = ? AND rule = ?",
            (platform, workspace, rule),
        )

    @guarded
    def disabled_rules(self, platform: str, workspace: str) -> frozenset[str]:
        """Rule ids turned off for the workspace."""
        return frozenset(
            row["rule"]
            for row in self.db.query(
                "SELECT rule FROM rules_disabled WHERE platform = ? AND workspace = ?",
                (platform, workspace),
            )
        )

    # ---- nudges and feedback ----

    @guarded
    def record_nudge(self, nudge: NewNudge) -> NudgeRow:
        """Store a nudge (excerpt cut to EXCERPT_MAX) and return it with its id."""
        kept = excerpt(nudge.excerpt)
        cursor = self.db.execute(
            "INSERT INTO nudges (platform, workspace, user, channel, rule, category, created_at,"
            " excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                nudge.platform,
                nudge.workspace,
                nudge.user,
                nudge.channel,
                nudge.rule,
                nudge.category,
                to_iso(nudge.created_at),
                kept,
            ),
        )
        assert cursor.lastrowid is not None
        row = self.get_nudge(cursor.lastrowid)
        assert row is not None
        return row

    @guarded
    def get_nudge(self, nudge_id: int) -> NudgeRow | None:
        """The nudge, or None."""
        row = self._one("SELECT * FROM nudges WHERE id = ?", (nudge_id,))
        if row is None:
            return None
        row["created_at"] = from_iso_required(row["created_at"])
        return NudgeRow(**row)

    @guarded
    def set_nudge_outcome(
        self, nudge_id: int, outcome: Outcome, *, user: str, at: datetime
    ) -> bool:
        """Record "útil"/"no aplica" on the nudge and in feedback; False if no such nudge."""
        with self.db.atomic():
            changed = self._rowcount(
                "UPDATE nudges SET outcome = ? WHERE id = ?", (outcome, nudge_id)
            )
            if changed:
                self._insert_feedback(nudge_id, user, outcome, at)
        return changed == 1

    @guarded
    def record_feedback(self, nudge_id: int, *, user: str, kind: str, at: datetime) -> None:
        """Record another reaction to a nudge (e.g. "muted", "tips")."""
        self._insert_feedback(nudge_id, user, kind, at)

    def _insert_feedback(self, nudge_id: int, user: str, kind: str, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO feedback (nudge_id, user, kind, at) VALUES (?, ?, ?, ?)",
            (nudge_id, user, kind, to_iso(at)),
        )

    @guarded
    def feedback(self, nudge_id: int) -> list[tuple[str, str, datetime]]:
        """(user, kind, at) of every reaction to a nudge, oldest first."""
        return [
            (row["user"], row["kind"], from_iso_required(row["at"]))
            for row in self.db.query(
                "SELECT user, kind, at FROM feedback WHERE nudge_id = ? ORDER BY id", (nudge_id,)
            )
        ]

    @guarded
    def count_nudges(
        self,
        platform: str,
        workspace: str,
        user: str,
        *,
        since: datetime,
        rule: str | None = None,
    ) -> int:
        """Nudges the user got since `since` (of one rule if given): the fatigue counters."""
        sql = (
            "SELECT COUNT(*) AS n FROM nudges"
            " WHERE platform = ? AND workspace = ? AND user = ? AND created_at >= ?"
        )
        params: tuple[Any, ...] = (platform, workspace, user, to_iso(since))
        if rule is not None:
            sql += " AND rule = ?"
            params += (rule,)
        row = self._one(sql, params)
        return int(row["n"]) if row else 0

    @guarded
    def nudges_by_category(
        self, platform: str, workspace: str, user: str, *, since: datetime
    ) -> tuple[tuple[str, int], ...]:
        """(category, count) of the user's own nudges since `since`, largest first."""
        return tuple(
            (row["category"], row["n"])
            for row in self.db.query(
                "SELECT category, COUNT(*) AS n FROM nudges"
                " WHERE platform = ? AND workspace = ? AND user = ? AND created_at >= ?"
                " GROUP BY category ORDER BY n DESC, category",
                (platform, workspace, user, to_iso(since)),
            )
        )

    @guarded
    def team_stats(
        self,
        platform: str,
        workspace: str,
        *,
        since: datetime,
        until: datetime,
        on_time_grace: timedelta = ON_TIME_GRACE,
    ) -> TeamStats:
        """Aggregates over [since, until); a follow-up is on time if done by due + grace."""
        return team_stats(self.db, platform, workspace, since, until, on_time_grace)

    # ---- dedupe ----

    @guarded
    def mark_seen(self, platform: str, event_id: str) -> bool:
        """Record an event id; True the first time, False for a repeat (atomic)."""
        return self._changed(
            "INSERT OR IGNORE INTO seen_events (platform, event_id, seen_at) VALUES (?, ?, ?)",
            (platform, event_id, to_iso(self._clock.now())),
        )

    @guarded
    def prune_seen(self, older_than_days: int = 7) -> int:
        """Forget event ids older than the given days; returns how many."""
        cutoff = self._clock.now() - timedelta(days=older_than_days)
        return self._rowcount("DELETE FROM seen_events WHERE seen_at < ?", (to_iso(cutoff),))

    # ---- Teams conversation references ----

    @guarded
    def save_conversation_ref(
        self, platform: str, workspace: str, user: str, ref_json: str
    ) -> None:
        """Keep the serialised reference needed to message the user proactively."""
        self.db.execute(
            "INSERT INTO conversation_refs (platform, workspace, user, ref_json, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, user)"
            " DO UPDATE SET ref_json = excluded.ref_json, updated_at = excluded.updated_at",
            (platform, workspace, user, ref_json, to_iso(self._clock.now())),
        )

    @guarded
    def conversation_ref(self, platform: str, workspace: str, user: str) -> str | None:
        """The stored reference JSON, or None."""
        row = self._one(
            "SELECT ref_json FROM conversation_refs"
            " WHERE platform = ? AND workspace = ? AND user = ?",
            (platform, workspace, user),
        )
        return None if row is None else str(row["ref_json"])
