"""`/coach recordar <qué y cuándo>`: the time phrase decides when, and is cut out of what."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.service.when import remind_note
from coaching import analyze

MEX = ZoneInfo("America/Mexico_City")
NOW = datetime(2026, 11, 9, 9, 0, tzinfo=MEX)  # a Monday


@pytest.mark.parametrize(
    ("note", "what", "due"),
    [
        ("enviar la factura en 1 minuto", "enviar la factura", datetime(2026, 11, 9, 9, 1)),
        ("llamar a Ana mañana a las 10", "llamar a Ana", datetime(2026, 11, 10, 10, 0)),
        ("mañana a las 11, llamar a Pedro", "llamar a Pedro", datetime(2026, 11, 10, 11, 0)),
        (
            "enviar el contrato a Pedro el jueves por la mañana",
            "enviar el contrato a Pedro",
            datetime(2026, 11, 12, 9, 0),
        ),
        ("Call Dana back tomorrow at 3pm", "Call Dana back", datetime(2026, 11, 10, 15, 0)),
        (
            "revisar <b>factura</b> & pago mañana a las 10",
            "revisar <b>factura</b> & pago",
            datetime(2026, 11, 10, 10, 0),
        ),
    ],
)
def test_the_time_phrase_is_when_and_the_rest_is_what(note: str, what: str, due: datetime) -> None:
    found = remind_note(analyze, note, NOW, MEX)
    assert found.what == what
    assert found.due == due.replace(tzinfo=MEX)


def test_a_note_without_a_time_has_no_due_and_stays_as_typed() -> None:
    found = remind_note(analyze, "  enviar la factura a Pedro ", NOW, MEX)
    assert found.due is None
    assert found.what == "enviar la factura a Pedro"


def test_a_note_that_is_only_a_time_keeps_its_words() -> None:
    found = remind_note(analyze, "mañana a las 10", NOW, MEX)
    assert found.due == datetime(2026, 11, 10, 10, 0, tzinfo=MEX)
    assert found.what == "mañana a las 10"
