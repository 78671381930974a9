"""Recorded Slack payloads (payloads/*.json), in the shapes Slack's docs show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PAYLOADS = Path(__file__).parent / "payloads"


def names() -> list[str]:
    """Every recorded payload, by file stem."""
    return sorted(p.stem for p in PAYLOADS.glob("*.json"))


def load(name: str) -> dict[str, Any]:
    """A fresh copy of one recorded payload."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return data
