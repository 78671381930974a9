"""A reply's chart on the console: the PNG written to a file whose path is printed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.digest_chart import png
from bot.model import Chart


def save_chart(chart: Chart, folder: Path, now: datetime) -> Path | None:
    """Write the chart as `calma-resumen-<time>.png` in `folder`; None without matplotlib."""
    data = png(chart)
    if data is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    path = folder / f"calma-resumen-{stamp}.png"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"calma-resumen-{stamp}-{n}.png"
    path.write_bytes(data)
    return path.resolve()
