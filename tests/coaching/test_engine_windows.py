"""Long texts scan only windows around each pattern's literals: same findings as a full scan."""

from __future__ import annotations

import json
import random
import re
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


def test_joined_antipatterns_block_what_each_of_them_blocks() -> None:
    from coaching.normalize import fold
    from coaching.rules import RULES

    joined = 0
    rng = random.Random(6)
    for rule in RULES:
        blockers = engine._blockers(rule)
        joined += len(blockers) < len(rule.antipatterns)
        texts = [fold(t).text for t in (*rule.flag, *rule.pass_, *TEXTS[:40])]
        for text in texts:
            lo, hi = sorted((rng.randint(0, len(text)), rng.randint(0, len(text))))
            for scope in ((0, len(text)), (lo, hi)):
                want = any(a.search(text, *scope) for a in rule.antipatterns)
                assert engine._blocked(blockers, text, scope) == want, (rule.id, text, scope)
    assert joined >= 10
    from dataclasses import replace

    backref = (re.compile(r"(a)\1"), re.compile("b"))
    assert len(engine._blockers(replace(RULES[0], antipatterns=backref))) == 2  # one by one
