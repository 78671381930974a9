"""Every text of the labelled sets in tests/coaching/data, for tests that run the engine over
real chat lines."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"
TEXTS = [
    json.loads(line)["text"]
    for path in sorted(DATA.glob("*.jsonl"))
    for line in path.read_text("utf-8").splitlines()
    if line.strip()
]
