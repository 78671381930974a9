"""Long texts scan only windows around each pattern's literals: same findings as a full scan."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import coaching.engine as engine
from coaching import analyze

DATA = Path(__file__).parent / "data"
TEXTS = [
    json.loads(line)["text"]
    for name in ("realistic.jsonl", "heldout.jsonl")
    for line in (DATA / name).read_text("utf-8").splitlines()
    if line.strip()
]


def _findings(text: str, role: str) -> list[tuple[str, str, int, int]]:
    return [(f.category, f.rule, f.start, f.end) for f in analyze(text, role=role).findings]


@pytest.mark.parametrize("seed", range(12))
def test_windowed_scan_matches_full_scan(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    text = rng.choice([" ", "\n", ". ", ", "]).join(rng.sample(TEXTS, 80))
    assert len(text) > engine._LONG
    long = engine._LONG
    for role in ("agent", "customer"):
        windowed = _findings(text, role)
        monkeypatch.setattr(engine, "_LONG", 10**9)
        full = _findings(text, role)
        monkeypatch.setattr(engine, "_LONG", long)
        assert windowed == full
        assert windowed  # the mix holds flagged lines, so the comparison means something


def test_match_at_the_end_of_a_long_text_is_found() -> None:
    text = "Gracias por esperar. " * 200 + "Usted debería haber leído las condiciones"
    assert len(text) > engine._LONG
    assert {f.category for f in analyze(text, role="agent").findings} == {"judgement"}
