"""A neutral `Chart` as Teams' own Adaptive Card chart element, with a fallback for hosts that do
not draw charts: the PNG as an image (a data URI) when it fits the card, else the figures as facts.

`Chart.VerticalBar.Grouped` is a Teams extension, not part of the Adaptive Cards 1.5 schema; the
rest of the card validates against the schema, and the fallback does too.
"""

from __future__ import annotations

import base64
from typing import Any

from bot.digest_chart import png
from bot.model import Chart

CHART_TYPE = "Chart.VerticalBar.Grouped"
TEAMS_PNG_SIZE = (4.8, 2.4)  # 384 × 192 at 80 dpi: small enough to ride inside the card
TEAMS_PNG_DPI = 80
MAX_IMAGE_BYTES = 12_000  # the PNG's share of Teams' ~28 KB message


def facts(chart: Chart) -> dict[str, Any]:
    """The chart's figures as a FactSet: one fact per label, its values side by side."""
    return {
        "type": "FactSet",
        "facts": [
            {
                "title": label,
                "value": " · ".join(
                    f"{s.name}: {s.values[i] if i < len(s.values) else 0}" for s in chart.series
                ),
            }
            for i, label in enumerate(chart.labels)
        ],
    }


def image(chart: Chart) -> dict[str, Any] | None:
    """The chart as an Image element carrying a small PNG, or None if none can be drawn here."""
    data = png(chart, size=TEAMS_PNG_SIZE, dpi=TEAMS_PNG_DPI)
    if data is None or len(data) > MAX_IMAGE_BYTES:
        return None
    return {
        "type": "Image",
        "url": "data:image/png;base64," + base64.b64encode(data).decode("ascii"),
        "altText": chart.alt or chart.title,
    }


def chart_element(chart: Chart, *, with_image: bool = True) -> dict[str, Any]:
    """Teams' grouped bar chart of the figures, falling back to the PNG or to facts."""
    fallback = (image(chart) if with_image else None) or facts(chart)
    return {
        "type": CHART_TYPE,
        "title": chart.title,
        "data": [
            {
                "legend": s.name,
                "values": [
                    {"x": label, "y": s.values[i] if i < len(s.values) else 0}
                    for i, label in enumerate(chart.labels)
                ],
            }
            for s in chart.series
        ],
        "fallback": fallback,
    }
