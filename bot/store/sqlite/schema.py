"""The SQLite schema as ordered sqlite-utils migrations; applied at every start, each only once."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("calma")

_INITIAL = (
    """CREATE TABLE workspaces (
        platform TEXT NOT NULL,
        id TEXT NOT NULL,
        default_lang TEXT NOT NULL DEFAULT 'es',
        default_tz TEXT NOT NULL DEFAULT 'UTC',
        daily_cap INTEGER NOT NULL DEFAULT 20,
        reminder_lead_minutes INTEGER NOT NULL DEFAULT 0,
        installer TEXT,
        PRIMARY KEY (platform, id)
    )""",
    """CREATE TABLE users (
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        user_id TEXT NOT NULL,
        tz TEXT,
        lang TEXT,
        role TEXT NOT NULL DEFAULT 'agent' CHECK (role IN ('agent', 'lead')),
        muted_until TEXT,
        updated_at TEXT,
        PRIMARY KEY (platform, workspace, user_id)
    )""",
    """CREATE TABLE channels (
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (platform, workspace, channel_id)
    )""",
    """CREATE TABLE customers (
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        user_id TEXT NOT NULL,
        PRIMARY KEY (platform, workspace, user_id)
    )""",
    """CREATE TABLE rules_disabled (
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        rule TEXT NOT NULL,
        disabled_by TEXT,
        PRIMARY KEY (platform, workspace, rule)
    )""",
    """CREATE TABLE nudges (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        user TEXT NOT NULL,
        channel TEXT NOT NULL,
        rule TEXT NOT NULL,
        category TEXT NOT NULL,
        created_at TEXT NOT NULL,
        outcome TEXT CHECK (outcome IS NULL OR outcome IN ('useful', 'not_applicable')),
        excerpt TEXT NOT NULL
    )""",
    "CREATE INDEX nudges_by_user ON nudges (platform, workspace, user, created_at)",
    "CREATE INDEX nudges_by_time ON nudges (platform, workspace, created_at)",
    """CREATE TABLE feedback (
        id INTEGER PRIMARY KEY,
        nudge_id INTEGER NOT NULL REFERENCES nudges (id),
        user TEXT NOT NULL,
        kind TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
    "CREATE INDEX feedback_by_nudge ON feedback (nudge_id)",
    """CREATE TABLE reminders (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        user TEXT NOT NULL,
        channel TEXT,
        thread TEXT,
        message_ref TEXT,
        permalink TEXT,
        text TEXT NOT NULL,
        due_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sent', 'done', 'cancelled')),
        sent_at TEXT,
        late INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        lang TEXT,
        done_at TEXT
    )""",
    "CREATE INDEX reminders_by_status ON reminders (status, due_at)",
    "CREATE INDEX reminders_by_user ON reminders (platform, workspace, user, status, due_at)",
    "CREATE INDEX reminders_by_due ON reminders (platform, workspace, due_at)",
    """CREATE TABLE seen_events (
        platform TEXT NOT NULL,
        event_id TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (platform, event_id)
    )""",
    "CREATE INDEX seen_events_by_time ON seen_events (seen_at)",
    """CREATE TABLE conversation_refs (
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        user TEXT NOT NULL,
        ref_json TEXT NOT NULL,
        updated_at TEXT,
        PRIMARY KEY (platform, workspace, user)
    )""",
)


@migrations()
def m001_initial(db: Database) -> None:
    """Every table of the first release."""
    for statement in _INITIAL:
        db.execute(statement)


_DIGESTS = (
    """CREATE TABLE episodes (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('abuse', 'escalation')),
        channel TEXT NOT NULL,
        thread TEXT NOT NULL DEFAULT '',
        user TEXT,
        at TEXT NOT NULL
    )""",
    "CREATE INDEX episodes_by_time ON episodes (platform, workspace, at)",
    """CREATE TABLE digest_slots (
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        user TEXT NOT NULL,
        weekday INTEGER CHECK (weekday IS NULL OR weekday BETWEEN 0 AND 6),
        next_at TEXT,
        PRIMARY KEY (platform, workspace, user)
    )""",
    "CREATE INDEX digest_slots_by_due ON digest_slots (next_at)",
)


@migrations()
def m002_digests(db: Database) -> None:
    """Episodes (abuse, escalations; never any text) and each lead's weekly digest schedule."""
    for statement in _DIGESTS:
        db.execute(statement)


@migrations()
def m003_team_phrases(db: Database) -> None:
    """Phrases a lead added for the team to flag (with a category) or allow."""
    db.execute(
        """CREATE TABLE team_phrases (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            workspace TEXT NOT NULL,
            phrase TEXT NOT NULL,
            lang TEXT NOT NULL,
            category TEXT,
            kind TEXT NOT NULL,
            suggestion TEXT,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (platform, workspace, phrase, kind)
        )"""
    )


@migrations()
def m004_conversations(db: Database) -> None:
    """Hard conversations per agent (nudges, abuse, escalation; no text) and follow-up offers."""
    db.execute(
        """CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            workspace TEXT NOT NULL,
            channel TEXT NOT NULL,
            thread TEXT NOT NULL DEFAULT '',
            agent TEXT NOT NULL,
            last_at TEXT NOT NULL,
            nudges INTEGER NOT NULL DEFAULT 0,
            abuse INTEGER NOT NULL DEFAULT 0,
            escalated INTEGER NOT NULL DEFAULT 0,
            lang TEXT,
            register TEXT,
            offered_at TEXT,
            UNIQUE (platform, workspace, channel, thread, agent)
        )"""
    )
    db.execute("CREATE INDEX conversations_quiet ON conversations (offered_at, last_at)")


@migrations()
def m005_reminder_claims(db: Database) -> None:
    """Who is sending a reminder and until when (the same claims as on PostgreSQL)."""
    db.execute("ALTER TABLE reminders ADD COLUMN claimed_by TEXT")
    db.execute("ALTER TABLE reminders ADD COLUMN lease_until TEXT")


@migrations()
def m006_inbox(db: Database) -> None:
    """Events kept before the door answers, until handled (the body is erased then)."""
    db.execute(
        """CREATE TABLE inbox (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            key TEXT NOT NULL,
            body TEXT,
            received_at TEXT NOT NULL,
            claimed_by TEXT,
            lease_until TEXT,
            attempts INTEGER NOT NULL DEFAULT 1,
            done_at TEXT,
            error TEXT,
            UNIQUE (platform, key)
        )"""
    )
    db.execute("CREATE INDEX inbox_open ON inbox (done_at, lease_until)")


@migrations()
def m007_outbox(db: Database) -> None:
    """Replies that leave after the HTTP answer, until the platform accepted them."""
    db.execute(
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            workspace TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL,
            claimed_by TEXT,
            lease_until TEXT,
            attempts INTEGER NOT NULL DEFAULT 1
        )"""
    )
    db.execute("CREATE INDEX outbox_by_lease ON outbox (lease_until)")


@migrations()
def m008_open_questions(db: Database) -> None:
    """What Coach asked each person (when? what? the new time): a restart still takes the answer."""
    db.execute(
        """CREATE TABLE open_questions (
            platform TEXT NOT NULL,
            workspace TEXT NOT NULL,
            user TEXT NOT NULL,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            asked_at TEXT NOT NULL,
            PRIMARY KEY (platform, workspace, user)
        )"""
    )
    db.execute("CREATE INDEX open_questions_by_time ON open_questions (asked_at)")


@migrations()
def m009_unpinned_zones(db: Database) -> None:
    """Before leads' zones were kept apart, a first start pinned 'UTC' on every workspace; that
    was never a lead's choice: unpin it, so CALMA_TZ / --tz is the default until a lead sets one."""
    db.execute("UPDATE workspaces SET default_tz = '' WHERE default_tz = 'UTC'")
