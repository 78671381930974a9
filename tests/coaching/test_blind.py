"""The blind set: written from issue 2 and the seed articles without opening the rules, the
other sets or the coaching code, and scored once before any rule change.

Its honest, untuned figures are in docs/QUALITY.md and in the commit that added it. The rules
were then generalised by principle, each change with its own rule examples and never with these
lines as patterns, so the figures this test checks are optimistic.
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

PATH = ROOT / "tests" / "coaching" / "data" / "blind.jsonl"
ROWS = eval_quality.load(PATH)


def test_schema_is_valid():
    assert eval_quality.validate(ROWS) == []


def test_size_and_mix():
    roles = Counter(r["role"] for r in ROWS)
    assert roles["agent"] >= 200
    assert roles["customer"] >= 60
    labels = Counter(label for r in ROWS for label in r["labels"])
    for category in ("judgement", "defensive", "abuse"):
        assert labels[category] >= 20
    assert sum(r["role"] == "agent" and not r["labels"] for r in ROWS) >= 100
    assert sum(r["role"] == "customer" and not r["labels"] for r in ROWS) >= 30
    assert sum(r["due"] is not None for r in ROWS) >= 45
    assert len({r["tz"] for r in ROWS}) == len(eval_quality.TIMEZONES)


def test_quality_targets():
    result = eval_quality.score(PATH)
    texts = {r["id"]: r["text"] for r in ROWS}
    assert result["missed_targets"] == [], eval_quality.report(result, texts)
