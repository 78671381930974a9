"""manifest.yml for tests: what Slack will send, as listener keys to check Bolt against."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MANIFEST = Path(__file__).resolve().parents[3] / "manifest.yml"


def load_manifest(path: Path = MANIFEST) -> dict[str, Any]:
    """The parsed manifest."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def manifest_listeners(manifest: dict[str, Any] | None = None) -> set[str]:
    """`event:<type>`, `command:<name>`, `shortcut:<callback_id>`: one per listener the app needs.

    `message.channels` and `message.groups` both arrive as Bolt's `message` event.
    """
    m = manifest or load_manifest()
    events = m["settings"]["event_subscriptions"]["bot_events"]
    keys = {f"event:{name.split('.')[0]}" for name in events}
    keys |= {f"command:{c['command']}" for c in m["features"].get("slash_commands", [])}
    keys |= {f"shortcut:{s['callback_id']}" for s in m["features"].get("shortcuts", [])}
    return keys
