"""`calma teams-package`: the Teams app zip (manifest.json, two icons, English strings)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from adapters.teams.icons import color_icon, outline_icon
from adapters.teams.manifest import (
    DEFAULT_DEVELOPER,
    ENGLISH_FILE,
    Developer,
    english_strings,
    manifest,
)

_FIXED_TIME = (2024, 1, 1, 0, 0, 0)  # same inputs, same bytes


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def build_package(
    out: Path,
    *,
    app_id: str,
    bot_id: str | None = None,
    version: str = "1.0.0",
    developer: Developer = DEFAULT_DEVELOPER,
    accent_color: str = "#2E7D6B",
    valid_domains: tuple[str, ...] = (),
    english: bool = True,
) -> Path:
    """Write the package for Teams app `app_id` whose bot is `bot_id` (default: the same id)."""
    data = manifest(
        app_id=app_id,
        bot_id=bot_id or app_id,
        version=version,
        developer=developer,
        accent_color=accent_color,
        valid_domains=valid_domains,
        english=english,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as archive:
        _write(archive, "manifest.json", _json(data))
        _write(archive, "color.png", color_icon(accent_color))
        _write(archive, "outline.png", outline_icon())
        if english:
            _write(archive, ENGLISH_FILE, _json(english_strings()))
    return out


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
