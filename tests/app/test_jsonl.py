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


def _run(lines: list[dict[str, object]]) -> list[dict[str, object]]:
    out = io.BytesIO()
    jsonl.run(io.BytesIO(b"".join(json.dumps(x).encode() + b"\n" for x in lines)), out, UTC)
    return [json.loads(x) for x in out.getvalue().splitlines()]


def test_a_chunks_lines_are_analysed_together_in_order(monkeypatch):
    batches: list[int] = []
    many = jsonl.analyze_many

    def counted(requests):
        batches.append(len(requests))
        return many(requests)

    monkeypatch.setattr(jsonl, "analyze_many", counted)
    lines = [{"id": i, "text": PROMISES[i % len(PROMISES)]} for i in range(40)]
    lines.insert(7, {"id": "bad", "text": 5})  # its own error, in its place
    out = _run(lines)
    assert batches == [40]  # one batch: the chunk's valid requests
    assert [a["id"] for a in out] == [x["id"] for x in lines]
    assert out[7] == {"id": "bad", "error": "'text' must be a string"}
    assert out[0]["findings"] == [] and out[0]["followups"]
    assert out[3]["findings"] and out[4]["followups"]  # a judgement, then a promise


def test_a_line_that_trips_the_engine_costs_only_itself_its_answer(monkeypatch):
    analyze, many = jsonl.analyze, jsonl.analyze_many

    def tripping(text, *rest):
        if text == "boom":
            raise ZeroDivisionError("tripped")
        return analyze(text, *rest)

    def batch(requests):
        if any(r[0] == "boom" for r in requests):
            raise ZeroDivisionError("tripped")
        return many(requests)

    monkeypatch.setattr(jsonl, "analyze", tripping)
    monkeypatch.setattr(jsonl, "analyze_many", batch)
    out = _run([{"id": 1, "text": PROMISES[0]}, {"id": 2, "text": "boom"}, {"id": 3, "text": "x"}])
    assert out[1] == {"id": 2, "error": "internal error: ZeroDivisionError: tripped"}
    assert out[0]["id"] == 1 and out[0]["followups"]
    assert out[2] == {"id": 3, "findings": [], "followups": []}
