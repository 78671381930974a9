"""Settings that hold: CALMA_TZ / --tz is the default of each start until a lead sets the zone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

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
