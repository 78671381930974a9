"""app/jsonl.py: a line's own bad values get that line's error answer, never an exception that
stops the run (the whole `calma analyze --jsonl` contract is in tests/app/test_cli.py)."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import jsonl

UTC = ZoneInfo("UTC")
ZONES = ["UTC", "America/Mexico_City", "Europe/Madrid", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
PROMISES = [
    "Le llamo mañana a las 10.",
    "Te escribo el 31 de diciembre a las 9.",
    "I'll call you back next Monday at 5pm.",
    "Usted debería haber leído el correo.",
]


def _answer(line: dict[str, object]) -> dict[str, object]:
    return jsonl.answer(json.dumps(line).encode(), UTC)


@pytest.mark.parametrize(
    ("ts", "tz"),
    [
        ("0001-01-01T00:00:00+01:00", "UTC"),  # year 0 in UTC: before datetime's calendar
        ("0001-01-01T03:00:00+05:00", "America/Mexico_City"),
        ("9999-12-31T23:00:00-05:00", "Europe/Madrid"),  # past its end in Madrid
        ("9999-12-31T10:00:00+00:00", "UTC"),  # a promise for tomorrow would fall past it
    ],
)
def test_a_time_at_the_calendars_edge_is_refused_with_the_lines_own_error(ts, tz):
    out = _answer({"id": 7, "text": "Le llamo mañana a las 10", "ts": ts, "tz": tz})
    assert out == {"id": 7, "error": f"'ts' must lie between the years 2 and 9998; got {ts!r}"}


def test_the_run_answers_the_lines_after_one_at_the_calendars_edge():
    lines = [
        {"id": 1, "text": "hola", "ts": "0001-01-01T00:00:00+01:00"},
        {"id": 2, "text": "Le llamo mañana a las 10", "ts": "2025-03-04T09:00:00-06:00"},
    ]
    out = io.BytesIO()
    jsonl.run(io.BytesIO(b"".join(json.dumps(x).encode() + b"\n" for x in lines)), out, UTC)
    first, second = (json.loads(x) for x in out.getvalue().splitlines())
    assert first["id"] == 1 and "'ts'" in first["error"]
    assert second["id"] == 2 and second["followups"][0]["due"] == "2025-03-05T10:00:00+00:00"


OFFSETS = st.integers(min_value=-23 * 60, max_value=23 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@settings(max_examples=300, deadline=None)
@given(
    ts=st.datetimes(timezones=OFFSETS),
    tz=st.sampled_from(ZONES),
    text=st.sampled_from(PROMISES),
    role=st.sampled_from(["agent", "customer"]),
)
def test_any_message_time_gets_an_answer_and_never_an_internal_error(ts, tz, text, role):
    out = _answer({"id": "x", "text": text, "ts": ts.isoformat(), "tz": tz, "role": role})
    assert out["id"] == "x"
    if 2 <= ts.year <= 9998:
        assert "error" not in out, out
        for followup in out["followups"]:  # type: ignore[attr-defined]
            assert datetime.fromisoformat(followup["due"]) > ts
    else:
        assert "between the years" in str(out["error"])
