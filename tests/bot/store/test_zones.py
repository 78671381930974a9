"""LeadZones on every store, and the migration that unpins the 'UTC' old versions wrote."""

from __future__ import annotations

from pathlib import Path

import psycopg

from bot.store import SqliteStore, Store
from bot.store.postgres import PgStore
from bot.store.zones import LeadZone
from tests.fakes import FakeClock


def test_only_workspaces_with_a_leads_zone_are_listed(any_store: Store) -> None:
    any_store.ensure_workspace("slack", "T1", default_tz="")  # follows CALMA_TZ / --tz
    any_store.ensure_workspace("slack", "T2", default_tz="")
    any_store.ensure_workspace("teams", "tenant", default_tz="")
    any_store.update_workspace("slack", "T2", default_tz="Europe/Madrid")
    any_store.update_workspace("teams", "tenant", default_tz="UTC")  # a lead may choose UTC
    assert any_store.lead_zones() == [
        LeadZone("slack", "T2", "Europe/Madrid"),
        LeadZone("teams", "tenant", "UTC"),
    ]


def test_an_old_sqlite_file_with_utc_pinned_is_unpinned(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "calma.db"
    store = SqliteStore(path, clock=clock)
    # the old shape: the first start pinned 'UTC', and m009 had not run yet
    store.db.execute(
        "INSERT INTO workspaces (platform, id, default_tz) VALUES ('slack', 'T1', 'UTC')"
    )
    store.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_unpinned_zones'")
    store.db.conn.commit()
    store.close()
    reopened = SqliteStore(path, clock=clock)
    try:
        ws = reopened.get_workspace("slack", "T1")
        assert ws is not None and ws.default_tz == ""
        assert reopened.lead_zones() == []
        reopened.update_workspace("slack", "T1", default_tz="UTC")  # chosen now: it stays
    finally:
        reopened.close()
    again = SqliteStore(path, clock=clock)
    assert again.lead_zones() == [LeadZone("slack", "T1", "UTC")]
    again.close()


def test_an_old_postgres_database_with_utc_pinned_is_unpinned(
    pg_url: str, clock: FakeClock
) -> None:
    PgStore(pg_url, clock=clock).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:  # the old shape, as above
        conn.execute("ALTER TABLE workspaces ALTER COLUMN default_tz SET DEFAULT 'UTC'")
        conn.execute("INSERT INTO workspaces (platform, id) VALUES ('teams', 'tenant')")
        conn.execute("DELETE FROM calma_migrations WHERE name = 'm008_unpinned_zones'")
    reopened = PgStore(pg_url, clock=clock)
    try:
        ws = reopened.get_workspace("teams", "tenant")
        assert ws is not None and ws.default_tz == ""
        assert reopened.lead_zones() == []
    finally:
        reopened.close()
