"""Draw a neutral `Chart`: a PNG with matplotlib (Agg, an optional extra) or inline SVG by hand.

The PNG is what Slack uploads, Teams falls back to and the console writes to a file; the SVG is
what `calma report` puts in its self-contained HTML page (no matplotlib needed for that).
"""

from __future__ import annotations

import io
from html import escape

from bot.model import Chart

COLOURS = ("#2f6f8f", "#b9c7d1", "#d08c60", "#7a9e7e")  # this period, the one before, …
PNG_SIZE = (6.4, 3.2)  # inches; at PNG_DPI a 640 × 320 image, small enough for a Teams card
PNG_DPI = 100


def can_draw_png() -> bool:
    """Whether matplotlib (the `charts` extra) is installed."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def png(chart: Chart, *, size: tuple[float, float] = PNG_SIZE, dpi: int = PNG_DPI) -> bytes | None:
    """The chart as PNG bytes (`size` in inches at `dpi`), or None without matplotlib."""
    if not can_draw_png():
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=size, dpi=dpi)
    axes = figure.add_subplot()
    count = max(len(chart.series), 1)
    width = 0.8 / count
    positions = range(len(chart.labels))
    for i, series in enumerate(chart.series):
        axes.bar(
            [p - 0.4 + width * (i + 0.5) for p in positions],
            series.values,
            width,
            label=series.name,
            color=COLOURS[i % len(COLOURS)],
        )
    axes.set_xticks(list(positions), [_short(label) for label in chart.labels], fontsize=8)
    axes.set_title(chart.title, fontsize=11)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    if chart.series:
        axes.legend(fontsize=8, frameon=False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=dpi)
    return out.getvalue()


def _short(label: str, limit: int = 18) -> str:
    """A tick label that fits under its bars."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def svg(chart: Chart, *, width: int = 640, height: int = 320) -> str:
    """The chart as an inline SVG element (grouped bars, axis, legend, a <title> for its alt)."""
    top, bottom, left, right = 40, 60, 40, 16
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max((v for s in chart.series for v in s.values), default=0) or 1
    group = plot_w / max(len(chart.labels), 1)
    bar = group * 0.8 / max(len(chart.series), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(chart.alt or chart.title)}</title>",
        f'<text x="{width / 2:.0f}" y="20" text-anchor="middle" font-size="14">'
        f"{escape(chart.title)}</text>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#555"/>',
    ]
    for i, label in enumerate(chart.labels):
        x0 = left + group * i + group * 0.1
        for j, series in enumerate(chart.series):
            value = series.values[i] if i < len(series.values) else 0
            h = plot_h * value / highest
            parts.append(
                f'<rect class="bar" x="{x0 + bar * j:.1f}" y="{top + plot_h - h:.1f}" '
                f'width="{bar:.1f}" height="{h:.1f}" fill="{COLOURS[j % len(COLOURS)]}">'
                f"<title>{escape(series.name)} · {escape(label)}: {value}</title></rect>"
                f'<text x="{x0 + bar * (j + 0.5):.1f}" y="{top + plot_h - h - 4:.1f}" '
                f'text-anchor="middle" font-size="10">{value}</text>'
            )
        parts.append(
            f'<text x="{left + group * (i + 0.5):.1f}" y="{top + plot_h + 16}" '
            f'text-anchor="middle" font-size="10">{escape(_short(label))}</text>'
        )
    for j, series in enumerate(chart.series):
        y = height - 14
        x = left + 150 * j
        parts.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" '
            f'fill="{COLOURS[j % len(COLOURS)]}"/>'
            f'<text x="{x + 14}" y="{y}" font-size="11">{escape(series.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
