"""Recorded Bot Framework activities (payloads/*.json) for the Teams tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

PAYLOADS = Path(__file__).parent / "payloads"
TENANT = "4b1e2c3d-5f60-4a7b-8c9d-0e1f2a3b4c5d"
BOT = "28:8d3e6f7a-1b2c-4d5e-9f80-a1b2c3d4e5f6"
CHANNEL = "19:b7c9d1e2f3a4465b8c7d6e5f4a3b2c1d@thread.tacv2"


def load(name: str, **overrides: Any) -> dict[str, Any]:
    """A fresh copy of a recorded activity, with top-level fields replaced."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    data.update(copy.deepcopy(overrides))
    return data


def names() -> list[str]:
    """Every recorded activity's name."""
    return sorted(p.stem for p in PAYLOADS.glob("*.json"))
