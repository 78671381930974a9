"""`SqliteStore`: the `Store` on one SQLite file via sqlite-utils (WAL, migrations at start)."""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from sqlite_utils import Database

from bot.ports import Clock, SystemClock
from bot.store.base import (
    ON_TIME_GRACE,
    PENDING_ONLY,
    NewNudge,
    NewReminder,
    NudgeRow,
    Outcome,
    ReminderRow,
    ReminderStatus,
    Role,
    TeamStats,
    UserRow,
    WorkspaceRow,
)
from bot.store.convert import excerpt, from_iso, from_iso_required, to_iso
from bot.store.errors import StoreError, StoreLocked, StoreReadOnly
from bot.store.schema import migrations
from bot.store.stats import team_stats

P = ParamSpec("P")
R = TypeVar("R")

_BUSY, _LOCKED, _READONLY, _CORRUPT, _CANTOPEN, _NOTADB = 5, 6, 8, 11, 14, 26
_OPEN = "('pending', 'sent')"
OPEN_RETRY_SECONDS = 0.05
_REMINDER_COLUMNS = (
    "id, platform, workspace, user, channel, thread, message_ref, permalink, text, due_at,"
    " created_at, status, sent_at, late, attempts, last_error, lang, done_at"
)


def _guarded(
    method: Callable[Concatenate[SqliteStore, P], R],
) -> Callable[Concatenate[SqliteStore, P], R]:
    """Turn sqlite3 errors into StoreError subclasses that say what to do."""

    @functools.wraps(method)
    def wrapper(self: SqliteStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise self.explain(exc) from exc

    return wrapper


class SqliteStore:
    """All of Calma's state in one SQLite file."""

    def __init__(
        self, path: str | Path, *, clock: Clock | None = None, busy_timeout: float = 5.0
    ) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._clock: Clock = clock or SystemClock()
        try:
            conn = sqlite3.connect(self.path, timeout=busy_timeout)
        except sqlite3.Error as exc:
            raise self.explain(exc) from exc
        self.db = Database(conn, execute_plugins=False)
        deadline = time.monotonic() + busy_timeout
        while True:
            try:
                self._prepare()
                return
            except sqlite3.Error as exc:
                error = self.explain(exc)
                if isinstance(error, StoreLocked) and time.monotonic() < deadline:
                    # A read that turns into a write (as migrations do) gets "locked" at once,
                    # without SQLite's busy wait: wait here instead, up to busy_timeout.
                    time.sleep(OPEN_RETRY_SECONDS)
                    continue
                conn.close()
                raise error from exc

    def _prepare(self) -> None:
        """WAL, pragmas and migrations: what opening the file needs (safe to repeat)."""
        if self.db.conn.in_transaction:
            self.db.conn.rollback()
        self.db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        migrations.apply(self.db)

    def explain(self, exc: sqlite3.Error) -> StoreError:
        """A StoreError for a sqlite3 error, in words an admin can act on."""
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        text = str(exc)
        if primary in (_BUSY, _LOCKED) or "database is locked" in text:
            return StoreLocked(
                f"The database {self.path} is locked: another process kept it busy for more than"
                f" {self.busy_timeout:g} s. Is a second Calma (or a sqlite3 shell) writing to the"
                " same file? Nothing was written; try again."
            )
        if primary == _READONLY or "readonly database" in text:
            return StoreReadOnly(
                f"The database {self.path} is read-only: Calma must be able to write the file and"
                " its folder (for the -wal and -shm files). Fix the permissions or point CALMA_DB"
                " at a writable place. Nothing was written."
            )
        if primary == _CANTOPEN:
            return StoreError(
                f"Cannot open the database {self.path}: check that its folder exists and is"
                " writable (CALMA_DB)."
            )
        if primary in (_CORRUPT, _NOTADB):
            return StoreError(f"{self.path} is not a Calma database or is damaged: {text}")
        return StoreError(f"Database error on {self.path}: {text}")

    def close(self) -> None:
        """Release the connection."""
        self.db.close()

    def _one(self, sql: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
        return next(iter(self.db.query(sql, params)), None)

    def _rowcount(self, sql: str, params: tuple[Any, ...]) -> int:
        return self.db.execute(sql, params).rowcount

    def _changed(self, sql: str, params: tuple[Any, ...]) -> bool:
        return self._rowcount(sql, params) == 1

    # ---- workspaces ----

    @_guarded
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

    @_guarded
    def get_workspace(self, platform: str, workspace: str) -> WorkspaceRow | None:
        """The workspace, or None if never seen."""
        row = self._one(
            "SELECT * FROM workspaces WHERE platform = ? AND id = ?", (platform, workspace)
        )
        return None if row is None else WorkspaceRow(**row)

    @_guarded
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

    @_guarded
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

    @_guarded
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

    @_guarded
    def mute(self, platform: str, workspace: str, user: str, until: datetime | None) -> UserRow:
        """Silence nudges for the user until `until`; None unmutes."""
        muted = None if until is None else to_iso(until)
        return self._upsert_user(platform, workspace, user, {"muted_until": muted})

    @_guarded
    def set_role(self, platform: str, workspace: str, user: str, role: Role) -> UserRow:
        """Make the user a lead or an agent."""
        return self._upsert_user(platform, workspace, user, {"role": role})

    @_guarded
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

    # ---- channels, customers, rules ----

    @_guarded
    def set_channel_paused(self, platform: str, workspace: str, channel: str, paused: bool) -> None:
        """Pause or resume coaching in a channel."""
        self.db.execute(
            "INSERT INTO channels (platform, workspace, channel_id, paused) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (platform, workspace, channel_id) DO UPDATE SET paused = excluded.paused",
            (platform, workspace, channel, int(paused)),
        )

    @_guarded
    def is_channel_paused(self, platform: str, workspace: str, channel: str) -> bool:
        """True when a lead paused the channel."""
        row = self._one(
            "SELECT paused FROM channels WHERE platform = ? AND workspace = ? AND channel_id = ?",
            (platform, workspace, channel),
        )
        return bool(row and row["paused"])

    @_guarded
    def add_customer(self, platform: str, workspace: str, user: str) -> bool:
        """List a user as a customer; True when newly added."""
        return self._changed(
            "INSERT OR IGNORE INTO customers (platform, workspace, user_id) VALUES (?, ?, ?)",
            (platform, workspace, user),
        )

    @_guarded
    def remove_customer(self, platform: str, workspace: str, user: str) -> bool:
        """Unlist a customer; True when one was removed."""
        return self._changed(
            "DELETE FROM customers WHERE platform = ? AND workspace = ? AND user_id = ?",
            (platform, workspace, user),
        )

    @_guarded
    def customers(self, platform: str, workspace: str) -> frozenset[str]:
        """User ids a lead listed as customers."""
        return frozenset(
            row["user_id"]
            for row in self.db.query(
                "SELECT user_id FROM customers WHERE platform = ? AND workspace = ?",
                (platform, workspace),
            )
        )

    @_guarded
    def disable_rule(self, platform: str, workspace: str, rule: str, by: str | None = None) -> bool:
        """Turn a rule off for the workspace; True when it was on."""
        return self._changed(
            "INSERT OR IGNORE INTO rules_disabled (platform, workspace, rule, disabled_by)"
            " VALUES (?, ?, ?, ?)",
            (platform, workspace, rule, by),
        )

    @_guarded
    def enable_rule(self, platform: str, workspace: str, rule: str) -> bool:
        """Turn a rule back on; True when it was off."""
        return self._changed(
            "DELETE FROM rules_disabled WHERE platform = ? AND workspace = ? AND rule = ?",
            (platform, workspace, rule),
        )

    @_guarded
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

    @_guarded
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

    @_guarded
    def get_nudge(self, nudge_id: int) -> NudgeRow | None:
        """The nudge, or None."""
        row = self._one("SELECT * FROM nudges WHERE id = ?", (nudge_id,))
        if row is None:
            return None
        row["created_at"] = from_iso_required(row["created_at"])
        return NudgeRow(**row)

    @_guarded
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

    @_guarded
    def record_feedback(self, nudge_id: int, *, user: str, kind: str, at: datetime) -> None:
        """Record another reaction to a nudge (e.g. "muted", "tips")."""
        self._insert_feedback(nudge_id, user, kind, at)

    def _insert_feedback(self, nudge_id: int, user: str, kind: str, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO feedback (nudge_id, user, kind, at) VALUES (?, ?, ?, ?)",
            (nudge_id, user, kind, to_iso(at)),
        )

    @_guarded
    def feedback(self, nudge_id: int) -> list[tuple[str, str, datetime]]:
        """(user, kind, at) of every reaction to a nudge, oldest first."""
        return [
            (row["user"], row["kind"], from_iso_required(row["at"]))
            for row in self.db.query(
                "SELECT user, kind, at FROM feedback WHERE nudge_id = ? ORDER BY id", (nudge_id,)
            )
        ]

    @_guarded
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

    @_guarded
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

    @_guarded
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

    @_guarded
    def mark_seen(self, platform: str, event_id: str) -> bool:
        """Record an event id; True the first time, False for a repeat (atomic)."""
        return self._changed(
            "INSERT OR IGNORE INTO seen_events (platform, event_id, seen_at) VALUES (?, ?, ?)",
            (platform, event_id, to_iso(self._clock.now())),
        )

    @_guarded
    def prune_seen(self, older_than_days: int = 7) -> int:
        """Forget event ids older than the given days; returns how many."""
        cutoff = self._clock.now() - timedelta(days=older_than_days)
        return self._rowcount("DELETE FROM seen_events WHERE seen_at < ?", (to_iso(cutoff),))

    # ---- Teams conversation references ----

    @_guarded
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

    @_guarded
    def conversation_ref(self, platform: str, workspace: str, user: str) -> str | None:
        """The stored reference JSON, or None."""
        row = self._one(
            "SELECT ref_json FROM conversation_refs"
            " WHERE platform = ? AND workspace = ? AND user = ?",
            (platform, workspace, user),
        )
        return None if row is None else str(row["ref_json"])

    # ---- reminders ----

    @_guarded
    def add_reminder(self, reminder: NewReminder) -> ReminderRow:
        """Store a pending reminder (the write raises rather than drop it)."""
        created = self._clock.now()
        text = excerpt(reminder.text)
        cursor = self.db.execute(
            "INSERT INTO reminders (platform, workspace, user, channel, thread, message_ref,"
            " permalink, text, due_at, created_at, lang) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                reminder.platform,
                reminder.workspace,
                reminder.user,
                reminder.channel,
                reminder.thread,
                reminder.message_ref,
                reminder.permalink,
                text,
                to_iso(reminder.due_at),
                to_iso(created),
                reminder.lang,
            ),
        )
        assert cursor.lastrowid is not None
        return ReminderRow(
            id=cursor.lastrowid,
            platform=reminder.platform,
            workspace=reminder.workspace,
            user=reminder.user,
            channel=reminder.channel,
            thread=reminder.thread,
            message_ref=reminder.message_ref,
            permalink=reminder.permalink,
            text=text,
            due_at=from_iso_required(to_iso(reminder.due_at)),
            created_at=from_iso_required(to_iso(created)),
            status="pending",
            sent_at=None,
            late=False,
            attempts=0,
            last_error=None,
            lang=reminder.lang,
        )

    def _reminders(self, where: str, params: tuple[Any, ...]) -> list[ReminderRow]:
        return [
            _reminder_row(row)
            for row in self.db.query(
                f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE {where}", params
            )
        ]

    @_guarded
    def get_reminder(self, reminder_id: int) -> ReminderRow | None:
        """The reminder, or None."""
        rows = self._reminders("id = ?", (reminder_id,))
        return rows[0] if rows else None

    @_guarded
    def pending_reminders(self) -> list[ReminderRow]:
        """Every pending reminder, earliest first."""
        return self._reminders("status = 'pending' ORDER BY due_at, id", ())

    @_guarded
    def pending_due_times(self) -> list[tuple[int, datetime]]:
        """(id, due_at) of every pending reminder: the light list timers are re-armed from."""
        parse = datetime.fromisoformat
        cursor = self.db.execute("SELECT id, due_at FROM reminders WHERE status = 'pending'")
        return [(row_id, parse(due)) for row_id, due in cursor]

    @_guarded
    def reminders_due_before(self, moment: datetime) -> list[ReminderRow]:
        """Pending reminders due at or before `moment`, earliest first."""
        return self._reminders(
            "status = 'pending' AND due_at <= ? ORDER BY due_at, id", (to_iso(moment),)
        )

    @_guarded
    def reminders_for_user(
        self,
        platform: str,
        workspace: str,
        user: str,
        statuses: Collection[ReminderStatus] = PENDING_ONLY,
    ) -> list[ReminderRow]:
        """The user's reminders in the given statuses, earliest due first."""
        if not statuses:
            return []
        marks = ", ".join("?" for _ in statuses)
        return self._reminders(
            f"platform = ? AND workspace = ? AND user = ? AND status IN ({marks})"
            " ORDER BY due_at, id",
            (platform, workspace, user, *statuses),
        )

    @_guarded
    def mark_sent(
        self, reminder_id: int, at: datetime, late: bool, *, due_at: datetime | None = None
    ) -> bool:
        """Record delivery; True only for the one caller that moved it from pending.

        With `due_at`, only if the row is still due then (a snooze during the send wins).
        """
        sql = "UPDATE reminders SET status = 'sent', sent_at = ?, late = ? WHERE id = ?"
        params: tuple[Any, ...] = (to_iso(at), int(late), reminder_id)
        if due_at is not None:
            sql += " AND due_at = ?"
            params += (to_iso(due_at),)
        return self._changed(sql + " AND status = 'pending'", params)

    @_guarded
    def record_failure(self, reminder_id: int, error: str) -> int:
        """Count a failed delivery attempt and keep its error; returns the attempt count."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE reminders SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                (error[:500], reminder_id),
            )
            row = self._one("SELECT attempts FROM reminders WHERE id = ?", (reminder_id,))
        return int(row["attempts"]) if row else 0

    @_guarded
    def snooze(self, reminder_id: int, new_due: datetime) -> ReminderRow | None:
        """Move a pending or sent reminder to `new_due`, pending again; None if not possible."""
        changed = self._rowcount(
            "UPDATE reminders SET due_at = ?, status = 'pending', sent_at = NULL, late = 0,"
            f" attempts = 0, last_error = NULL WHERE id = ? AND status IN {_OPEN}",
            (to_iso(new_due), reminder_id),
        )
        return self.get_reminder(reminder_id) if changed else None

    @_guarded
    def mark_done(self, reminder_id: int, at: datetime) -> bool:
        """Mark a pending or sent reminder done; False if it was not open."""
        return self._changed(
            f"UPDATE reminders SET status = 'done', done_at = ? WHERE id = ? AND status IN {_OPEN}",
            (to_iso(at), reminder_id),
        )

    @_guarded
    def cancel_reminder(self, reminder_id: int) -> bool:
        """Cancel a pending or sent reminder; False if it was not open."""
        return self._changed(
            f"UPDATE reminders SET status = 'cancelled' WHERE id = ? AND status IN {_OPEN}",
            (reminder_id,),
        )


def _reminder_row(row: dict[str, Any]) -> ReminderRow:
    return ReminderRow(
        id=row["id"],
        platform=row["platform"],
        workspace=row["workspace"],
        user=row["user"],
        channel=row["channel"],
        thread=row["thread"],
        message_ref=row["message_ref"],
        permalink=row["permalink"],
        text=row["text"],
        due_at=from_iso_required(row["due_at"]),
        created_at=from_iso_required(row["created_at"]),
        status=cast(ReminderStatus, row["status"]),
        sent_at=from_iso(row["sent_at"]),
        late=bool(row["late"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        lang=row["lang"],
        done_at=from_iso(row["done_at"]),
    )
