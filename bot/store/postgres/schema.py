"""The PostgreSQL schema as ordered migrations, applied at every start, each only once.

Several instances may start together: the first holds an advisory lock while it migrates and the
others wait for it, then find nothing left to do.
"""

from __future__ import annotations

from typing import Any

import psycopg

MIGRATION_LOCK = 0x0CA1_3A  # pg_advisory_xact_lock key: one migrating instance at a time

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
        muted_until TIMESTAMPTZ,
        updated_at TIMESTAMPTZ,
        PRIMARY KEY (platform, workspace, user_id)
    )""",
    """CREATE TABLE channels (
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        paused BOOLEAN NOT NULL DEFAULT FALSE,
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
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        "user" TEXT NOT NULL,
        channel TEXT NOT NULL,
        rule TEXT NOT NULL,
        category TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        outcome TEXT CHECK (outcome IS NULL OR outcome IN ('useful', 'not_applicable')),
        excerpt TEXT NOT NULL
    )""",
    'CREATE INDEX nudges_by_user ON nudges (platform, workspace, "user", created_at)',
    "CREATE INDEX nudges_by_time ON nudges (platform, workspace, created_at)",
    """CREATE TABLE feedback (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        nudge_id BIGINT NOT NULL REFERENCES nudges (id),
        "user" TEXT NOT NULL,
        kind TEXT NOT NULL,
        at TIMESTAMPTZ NOT NULL
    )""",
    "CREATE INDEX feedback_by_nudge ON feedback (nudge_id)",
    """CREATE TABLE reminders (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        "user" TEXT NOT NULL,
        channel TEXT,
        thread TEXT,
        message_ref TEXT,
        permalink TEXT,
        text TEXT NOT NULL,
        due_at TIMESTAMPTZ NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sent', 'done', 'cancelled')),
        sent_at TIMESTAMPTZ,
        late BOOLEAN NOT NULL DEFAULT FALSE,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        lang TEXT,
        done_at TIMESTAMPTZ,
        claimed_by TEXT,
        lease_until TIMESTAMPTZ
    )""",
    "CREATE INDEX reminders_by_status ON reminders (status, due_at)",
    'CREATE INDEX reminders_by_user ON reminders (platform, workspace, "user", status, due_at)',
    "CREATE INDEX reminders_by_due ON reminders (platform, workspace, due_at)",
    """CREATE TABLE seen_events (
        platform TEXT NOT NULL,
        event_id TEXT NOT NULL,
        seen_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (platform, event_id)
    )""",
    "CREATE INDEX seen_events_by_time ON seen_events (seen_at)",
    """CREATE TABLE conversation_refs (
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        "user" TEXT NOT NULL,
        ref_json TEXT NOT NULL,
        updated_at TIMESTAMPTZ,
        PRIMARY KEY (platform, workspace, "user")
    )""",
)

_INBOX = (
    """CREATE TABLE inbox (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform TEXT NOT NULL,
        key TEXT NOT NULL,
        body TEXT,
        received_at TIMESTAMPTZ NOT NULL,
        claimed_by TEXT,
        lease_until TIMESTAMPTZ,
        attempts INTEGER NOT NULL DEFAULT 1,
        done_at TIMESTAMPTZ,
        error TEXT,
        UNIQUE (platform, key)
    )""",
    "CREATE INDEX inbox_open ON inbox (lease_until) WHERE done_at IS NULL",
)

_OUTBOX = (
    """CREATE TABLE outbox (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        claimed_by TEXT,
        lease_until TIMESTAMPTZ,
        attempts INTEGER NOT NULL DEFAULT 1
    )""",
    "CREATE INDEX outbox_by_lease ON outbox (lease_until)",
)

_DIGESTS = (
    """CREATE TABLE episodes (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('abuse', 'escalation')),
        channel TEXT NOT NULL,
        thread TEXT NOT NULL DEFAULT '',
        "user" TEXT,
        at TIMESTAMPTZ NOT NULL
    )""",
    "CREATE INDEX episodes_by_time ON episodes (platform, workspace, at)",
    """CREATE TABLE digest_slots (
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        "user" TEXT NOT NULL,
        weekday INTEGER CHECK (weekday IS NULL OR weekday BETWEEN 0 AND 6),
        next_at TIMESTAMPTZ,
        PRIMARY KEY (platform, workspace, "user")
    )""",
    "CREATE INDEX digest_slots_by_due ON digest_slots (next_at)",
)

_TEAM_PHRASES = (
    """CREATE TABLE team_phrases (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        phrase TEXT NOT NULL,
        lang TEXT NOT NULL,
        category TEXT,
        kind TEXT NOT NULL,
        suggestion TEXT,
        created_by TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        UNIQUE (platform, workspace, phrase, kind)
    )""",
)

_CONVERSATIONS = (
    """CREATE TABLE conversations (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        channel TEXT NOT NULL,
        thread TEXT NOT NULL DEFAULT '',
        agent TEXT NOT NULL,
        last_at TIMESTAMPTZ NOT NULL,
        nudges INTEGER NOT NULL DEFAULT 0,
        abuse BOOLEAN NOT NULL DEFAULT FALSE,
        escalated BOOLEAN NOT NULL DEFAULT FALSE,
        lang TEXT,
        register TEXT,
        offered_at TIMESTAMPTZ,
        UNIQUE (platform, workspace, channel, thread, agent)
    )""",
    "CREATE INDEX conversations_quiet ON conversations (offered_at, last_at)",
)

_OPEN_QUESTIONS = (
    """CREATE TABLE open_questions (
        platform TEXT NOT NULL,
        workspace TEXT NOT NULL,
        "user" TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        asked_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (platform, workspace, "user")
    )""",
    "CREATE INDEX open_questions_by_time ON open_questions (asked_at)",
)

# Before leads' zones were kept apart, a first start pinned 'UTC' on every workspace; that was
# never a lead's choice: unpin it, so CALMA_TZ / --tz is the default until a lead sets one.
_UNPINNED_ZONES = (
    "ALTER TABLE workspaces ALTER COLUMN default_tz SET DEFAULT ''",
    "UPDATE workspaces SET default_tz = '' WHERE default_tz = 'UTC'",
)

# Every instance LISTENs on NOTIFY_REMINDERS (bot/store/postgres/listen.py): a reminder added, moved
# or ended anywhere is heard at once ("<id> <due, epoch ms>" while pending, "<id>" once not).
NOTIFY_REMINDERS = "calma_reminders"
_NOTIFY = (
    f"""CREATE FUNCTION calma_reminder_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{NOTIFY_REMINDERS}', NEW.id::text || CASE WHEN NEW.status = 'pending'
            THEN ' ' || floor(extract(epoch FROM NEW.due_at) * 1000)::bigint::text ELSE '' END);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER reminders_notify AFTER INSERT OR UPDATE OF due_at, status ON reminders
        FOR EACH ROW EXECUTE FUNCTION calma_reminder_changed()""",
)

MIGRATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("m001_initial", _INITIAL),
    ("m002_inbox", _INBOX),
    ("m003_outbox", _OUTBOX),
    ("m004_digests", _DIGESTS),
    ("m005_team_phrases", _TEAM_PHRASES),
    ("m006_conversations", _CONVERSATIONS),
    ("m007_open_questions", _OPEN_QUESTIONS),
    ("m008_unpinned_zones", _UNPINNED_ZONES),
    ("m009_notify", _NOTIFY),
)


def migrate(conn: psycopg.Connection[Any]) -> list[str]:
    """Apply the migrations not yet applied, in order, in the caller's transaction."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
    conn.execute(
        "CREATE TABLE IF NOT EXISTS calma_migrations"
        " (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )
    done = {
        row[0] if isinstance(row, tuple) else row["name"]
        for row in conn.execute("SELECT name FROM calma_migrations")
    }
    applied: list[str] = []
    for name, statements in MIGRATIONS:
        if name in done:
            continue
        for statement in statements:
            conn.execute(statement)
        conn.execute("INSERT INTO calma_migrations (name) VALUES (%s)", (name,))
        applied.append(name)
    return applied
