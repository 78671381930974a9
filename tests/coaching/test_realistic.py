"""The hand-labelled realistic set: its shape, and the issue-2 quality targets on it.

The scoring lives in bench/eval_quality.py (one implementation, also runnable by hand).
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("eval_quality", ROOT / "bench" / "eval_quality.py")
assert _spec is not None and _spec.loader is not None
eval_quality = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("eval_quality", eval_quality)
_spec.loader.exec_module(eval_quality)

ROWS = eval_quality.load(eval_quality.DEFAULT_PATH)


def test_schema_is_valid():
    assert eval_quality.validate(ROWS) == []


def test_size_and_mix():
    roles = Counter(r["role"] for r in ROWS)
    assert roles["agent"] >= 170
    assert roles["customer"] >= 45
    labels = Counter(label for r in ROWS for label in r["labels"])
    assert labels["judgement"] >= 30
    assert labels["defensive"] >= 30
    assert labels["condescending"] >= 8
    assert labels["overpromise"] >= 6
    assert labels["abuse"] >= 18
    clean_agent = [r for r in ROWS if r["role"] == "agent" and not r["labels"]]
    assert len(clean_agent) >= 70
    clean_customer = [r for r in ROWS if r["role"] == "customer" and not r["labels"]]
    assert len(clean_customer) >= 20
    assert sum(r["due"] is not None for r in ROWS) >= 35
    assert len({r["tz"] for r in ROWS}) == len(eval_quality.TIMEZONES)


def test_validate_catches_bad_rows():
    good = dict(ROWS[0])
    bad = [
        good,
        dict(good),  # duplicate id
        {**good, "id": "x1", "labels": ["rude"]},
        {**good, "id": "x2", "ts": "2026-11-18T10:00:00"},
        {**good, "id": "x3", "tz": "Mars/Olympus"},
        {**good, "id": "x4", "role": "customer", "labels": ["judgement"]},
        {**good, "id": "x5", "due": good["ts"]},
    ]
    errors = eval_quality.validate(bad)
    assert len(errors) == 6, errors


def test_quality_targets():
    result = eval_quality.score(eval_quality.DEFAULT_PATH)
    texts = {r["id"]: r["text"] for r in ROWS}
    assert result["missed_targets"] == [], eval_quality.report(result, texts)
