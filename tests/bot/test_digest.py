"""The lead's digest in the service: figures this period and the one before, privacy (per-person
rows only for 3+ agents), `/coach mis-cifras`, and the weekly send in each lead's own zone that
survives a restart (the schedule is rows, not memory)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.model import Command, DirectMessage, PrivateNotice
from bot.service.digest_schedule import next_slot
from tests.bot.service_kit import WS, Kit
from tests.fakes import FakeClock

JUDGEMENT = "Usted debería haber leído el correo"
SUNDAY = datetime(2026, 11, 8, 12, 0, tzinfo=UTC)


@pytest.fixture
def kit(tmp_path):
    k = Kit(tmp_path / "calma.db", FakeClock(SUNDAY))
    yield k
    k.service.reminders.shutdown()
    k.store.close()


def command(kit: Kit, text: str, author: str) -> list:
    return kit.service.on_command(Command("slack", WS, "C1", author, text, kit.clock.now()))


def lead(kit: Kit, user: str, tz: str) -> None:
    kit.store.ensure_workspace("slack", WS)
    kit.store.set_role("slack", WS, user, "lead")
    kit.store.set_user_settings("slack", WS, user, tz=tz)


def test_next_slot_is_monday_nine_on_the_leads_wall_clock():
    madrid, mexico = ZoneInfo("Europe/Madrid"), ZoneInfo("America/Mexico_City")
    assert next_slot(SUNDAY, madrid, 0) == datetime(2026, 11, 9, 8, 0, tzinfo=UTC)
    assert next_slot(SUNDAY, mexico, 0) == datetime(2026, 11, 9, 15, 0, tzinfo=UTC)
    monday_nine = datetime(2026, 11, 9, 9, 0, tzinfo=madrid)
    assert next_slot(monday_nine, madrid, 0) == monday_nine + timedelta(days=7)


def test_the_digest_compares_periods_and_hides_people_below_three(kit: Kit):
    lead(kit, "L1", "Europe/Madrid")
    kit.say(JUDGEMENT, author="U1")
    kit.clock.advance(timedelta(days=8))
    kit.say(JUDGEMENT, author="U2")
    kit.say("Comprendo el inconveniente, pero son las políticas", author="U2")
    kit.say("eres un idiota", author="C9", customer=True)
    replies = command(kit, "resumen", "L1")
    (dm,) = [r for r in replies if isinstance(r, DirectMessage)]
    assert dm.user == "L1"
    text = dm.card.plain_text()
    assert "Sugerencias enviadas: 3 (antes 1)" in text  # the defensive line breaks two rules
    assert "Juicios sobre el cliente: 1 (antes 1)" in text
    assert "A la defensiva: 2 (antes 0)" in text
    assert "Conversaciones con mensajes abusivos: 1 (antes 0)" in text
    assert "menos de 3 personas" in text
    assert "U2" not in text
    assert dm.card.chart is not None
    assert dm.card.chart.series[0].values == (1, 2)  # judgement, defensive (this week)
    assert dm.card.chart.series[1].values == (1, 0)
    (note,) = [r for r in replies if isinstance(r, PrivateNotice)]
    assert "chat con Coach" in note.card.plain_text()


def test_per_person_rows_need_three_agents(kit: Kit):
    lead(kit, "L1", "Europe/Madrid")
    for agent in ("U1", "U2", "U3"):
        kit.say(JUDGEMENT, author=agent)
    (dm,) = [r for r in command(kit, "digest", "L1") if isinstance(r, DirectMessage)]
    assert "Por persona" in dm.card.plain_text()


def test_agents_are_refused_the_digest_and_see_only_their_own_figures(kit: Kit):
    lead(kit, "L1", "Europe/Madrid")
    kit.say(JUDGEMENT, author="U1")
    kit.say(JUDGEMENT, author="U2")
    (refused,) = command(kit, "resumen", "U1")
    assert "para líderes" in refused.card.plain_text()
    mine, note = command(kit, "mis-cifras", "U1")
    assert isinstance(mine, DirectMessage) and mine.user == "U1"  # in their chat with Coach
    text = mine.card.plain_text()
    assert "Tus cifras" in text and "Juicios sobre el cliente: 1 (antes 0)" in text
    assert "U2" not in text
    assert isinstance(note, PrivateNotice) and note.channel == "C1"
    assert note.card.plain_text() == "Te envié tus cifras a tu chat con Coach."


def test_my_figures_chart_shows_only_my_own_nudges(kit: Kit):
    kit.say(JUDGEMENT, author="U1")
    kit.clock.advance(timedelta(days=8))
    kit.say(JUDGEMENT, author="U1")
    kit.say("Comprendo el inconveniente, pero son las políticas", author="U1")
    for other in ("U2", "U3", "U4"):  # the team's figures must not leak into mine
        kit.say("Comprendo el inconveniente, pero son las políticas", author=other)
    (mine, _note) = command(kit, "mis-cifras", "U1")
    chart = mine.card.chart
    assert chart is not None
    assert chart.labels == ("Juicios sobre el cliente", "A la defensiva")
    assert chart.series[0].values == (1, 2)  # mine this week: the defensive line breaks two rules
    assert chart.series[1].values == (1, 0)  # mine the week before
    assert "U2" not in chart.alt and "U3" not in chart.alt


def test_no_note_where_the_answer_already_is(kit: Kit):
    lead(kit, "L1", "Europe/Madrid")
    kit.say(JUDGEMENT, author="L1")
    now = kit.clock.now()
    for platform, channel in (
        ("slack", None),
        ("teams", None),
        ("teams", "19:c"),
        ("console", "c"),
    ):
        for text in ("resumen", "mis-cifras"):
            kit.store.ensure_workspace(platform, WS)
            kit.store.set_role(platform, WS, "L1", "lead")
            replies = kit.service.on_command(Command(platform, WS, channel, "L1", text, now))
            said = [r.card.plain_text() for r in replies]
            assert len(replies) == 1 and "a tu chat con Coach" not in said[0], (platform, said)


def test_nothing_to_show_is_answered_where_it_was_asked(kit: Kit):
    (empty,) = command(kit, "mis-cifras", "U9")
    assert isinstance(empty, PrivateNotice) and empty.channel == "C1"
    assert empty.card.chart is None and "Sin sugerencias" in empty.card.plain_text()


async def test_the_weekly_digest_fires_in_each_leads_zone_and_survives_a_restart(kit: Kit):
    lead(kit, "L-MAD", "Europe/Madrid")
    lead(kit, "L-MEX", "America/Mexico_City")
    kit.say(JUDGEMENT, author="U1")
    assert await kit.service.run_due_digests(kit.notifier) == 0  # slots made for next Monday

    kit.restart()  # the schedule is in the database, not in memory
    kit.clock.set(datetime(2026, 11, 9, 7, 59, tzinfo=UTC))
    assert await kit.service.run_due_digests(kit.notifier) == 0
    kit.clock.set(datetime(2026, 11, 9, 8, 0, tzinfo=UTC))  # 09:00 in Madrid
    assert await kit.service.run_due_digests(kit.notifier) == 1
    assert [m.user for m in kit.notifier.sent] == ["L-MAD"]
    assert "Resumen del equipo" in kit.notifier.sent[0].card.title
    assert await kit.service.run_due_digests(kit.notifier) == 0  # once

    kit.restart()
    kit.clock.set(datetime(2026, 11, 9, 16, 30, tzinfo=UTC))  # Calma was down at 09:00 Mexico
    assert await kit.service.run_due_digests(kit.notifier) == 1
    assert [m.user for m in kit.notifier.sent] == ["L-MAD", "L-MEX"]


async def test_a_lead_moves_their_digest_or_turns_it_off(kit: Kit):
    lead(kit, "L1", "Europe/Madrid")
    (moved,) = command(kit, "ajustes resumen miércoles", "L1")
    assert "miércoles" in moved.card.plain_text()
    kit.clock.set(datetime(2026, 11, 9, 8, 0, tzinfo=UTC))  # Monday 09:00 Madrid
    assert await kit.service.run_due_digests(kit.notifier) == 0
    kit.clock.set(datetime(2026, 11, 11, 8, 0, tzinfo=UTC))  # Wednesday 09:00 Madrid
    assert await kit.service.run_due_digests(kit.notifier) == 1
    command(kit, "ajustes resumen off", "L1")
    kit.clock.advance(timedelta(days=14))
    assert await kit.service.run_due_digests(kit.notifier) == 0
    (shown,) = command(kit, "ajustes", "L1")
    assert "resumen · Día de tu resumen semanal (9:00, tu hora): desactivado" in (
        shown.card.plain_text()
    )


async def test_a_failed_send_stays_due(kit: Kit):
    lead(kit, "L1", "Europe/Madrid")
    await kit.service.run_due_digests(kit.notifier)
    kit.clock.set(datetime(2026, 11, 9, 8, 0, tzinfo=UTC))
    kit.notifier.fail_next = 1
    assert await kit.service.run_due_digests(kit.notifier) == 0
    assert await kit.service.run_due_digests(kit.notifier) == 1
