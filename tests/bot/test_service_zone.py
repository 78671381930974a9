"""Settings that hold: CALMA_TZ / --tz is the default of each start until a lead sets the zone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.store import SqliteStore
from tests.bot.service_kit import WS, Kit, text_of
from tests.fakes import FakeClock


def local_hour(kit: Kit) -> int:
    (row,) = kit.store.reminders_for_user("slack", WS, "U1", ("pending",))
    return row.due_at.astimezone(ZoneInfo("America/Mexico_City")).hour


def test_a_first_start_in_utc_does_not_pin_utc(tmp_path: Path, clock: FakeClock) -> None:
    kit = Kit(tmp_path / "calma.db", clock, tz="UTC")  # first start without CALMA_TZ
    kit.lead("LEAD")
    kit.say("Hola, ¿en qué le ayudo?")
    kit.settings = replace(kit.settings, tz="America/Mexico_City")  # later: CALMA_TZ is set
    kit.restart()
    kit.say("Le llamo mañana a las 10.")
    assert local_hour(kit) == 10  # not 04:00 local
    assert kit.service.zone_note("slack", WS) is None
    shown = text_of(kit.coach("ajustes zona", author="LEAD"))
    assert "America/Mexico_City (la del arranque" in shown


def test_a_leads_zone_wins_and_start_up_says_so(tmp_path: Path, clock: FakeClock) -> None:
    kit = Kit(tmp_path / "calma.db", clock, tz="America/Mexico_City")
    kit.lead("LEAD")
    kit.coach("ajustes zona Europe/Madrid", author="LEAD")
    kit.settings = replace(kit.settings, tz="America/Bogota")
    kit.restart()
    kit.say("Le llamo mañana a las 10.")
    (row,) = kit.store.reminders_for_user("slack", WS, "U1", ("pending",))
    assert row.due_at.astimezone(ZoneInfo("Europe/Madrid")).hour == 10
    note = kit.service.zone_note("slack", WS)
    assert note is not None
    assert "Europe/Madrid" in note and "America/Bogota" in note and "\n" not in note


def test_a_server_start_names_the_workspaces_whose_lead_zone_wins(
    tmp_path: Path, clock: FakeClock
) -> None:
    kit = Kit(tmp_path / "calma.db", clock, tz="America/Mexico_City")
    kit.lead("LEAD")
    kit.coach("ajustes zona Europe/Madrid", author="LEAD")
    kit.store.ensure_workspace("teams", "tenant", default_tz="")  # follows the flag
    assert kit.service.zone_notes({"slack", "teams"}) == (
        f"Zona horaria fijada por un líder con /coach ajustes ({WS}: Europe/Madrid): la suya"
        " gana; CALMA_TZ o --tz (America/Mexico_City) no la cambia."
    )
    assert kit.service.zone_notes({"teams"}) is None  # only the doors this start serves
    kit.settings = replace(kit.settings, tz="Europe/Madrid")
    kit.restart()
    assert kit.service.zone_notes({"slack"}) is None  # the same zone: nothing to say


def test_a_long_list_of_lead_zones_stays_one_line(tmp_path: Path, clock: FakeClock) -> None:
    kit = Kit(tmp_path / "calma.db", clock, tz="UTC")
    for n in range(8):
        kit.store.ensure_workspace("slack", f"T{n}", default_tz="Asia/Tokyo")
    note = kit.service.zone_notes({"slack"})
    assert note is not None and "\n" not in note
    assert "T0: Asia/Tokyo" in note and "T4: Asia/Tokyo" in note and "T5" not in note
    assert "y 3 más" in note


def test_an_old_database_with_utc_pinned_follows_calma_tz(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "calma.db"
    old = SqliteStore(path, clock=clock)  # as versions before the fix left it
    old.db.execute(
        "INSERT INTO workspaces (platform, id, default_tz) VALUES ('slack', ?, 'UTC')", (WS,)
    )
    old.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_unpinned_zones'")
    old.db.conn.commit()
    old.close()
    kit = Kit(path, clock, tz="America/Mexico_City")  # now started with CALMA_TZ
    kit.say("Le llamo mañana a las 10.")
    assert local_hour(kit) == 10  # not 04:00 local
    assert kit.service.zone_notes({"slack"}) is None
    kit.lead("LEAD")
    kit.coach("ajustes zona UTC", author="LEAD")  # a lead's UTC is a choice: it holds
    kit.restart()
    assert kit.service.zone_notes({"slack"}) is not None
