"""The digest as one self-contained HTML page: inline CSS, inline SVG charts, no network.

A few lines of inline script mark each chart once the browser has laid it out
(`data-rendered`, `data-bars`), so a headless browser can tell the charts really render.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from bot.digest_chart import svg
from bot.i18n import Lang, t
from bot.model import Card, Chart, name_people

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin-bottom: .25rem; } p { margin: .25rem 0; white-space: pre-line; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; } svg.chart { max-width: 100%; height: auto; }
footer { margin-top: 3rem; font-size: .8rem; color: #666; }
"""

_MARK_RENDERED = """
for (const chart of document.querySelectorAll("svg.chart")) {
  const box = chart.getBBox();
  const bars = [...chart.querySelectorAll("rect.bar")].filter(r => r.getBBox().height > 0);
  chart.dataset.rendered = String(box.width > 0 && box.height > 0);
  chart.dataset.bars = String(bars.length);
}
"""


def section_html(card: Card, charts: tuple[Chart, ...]) -> str:
    """One workspace: the digest card's text and its charts."""
    parts = [f"<h2>{escape(name_people(card.title, str))}</h2>"]
    if charts:
        parts.append('<div class="charts">' + "".join(svg(c) for c in charts) + "</div>")
    for section in card.sections:
        if section.heading:
            parts.append(f"<h3>{escape(name_people(section.heading, str))}</h3>")
        parts.append(f"<p>{escape(name_people(section.text, str))}</p>")
    return f"<section>{''.join(parts)}</section>"


def page(
    sections: list[tuple[str, Card, tuple[Chart, ...]]], days: int, lang: Lang, now: datetime
) -> str:
    """The whole report: one section per workspace (its name, digest card and charts)."""
    title = t("report.title", lang, days=days)
    body = [f"<h1>{escape(title)}</h1>"]
    if not sections:
        body.append(f"<p>{escape(t('report.no_workspaces', lang))}</p>")
    for name, card, charts in sections:
        body.append(f"<p><strong>{escape(name)}</strong></p>{section_html(card, charts)}")
    generated = t("report.generated", lang, at=now.strftime("%Y-%m-%d %H:%M UTC"))
    body.append(f"<footer>{escape(generated)}</footer>")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(body)}<script>{_MARK_RENDERED}</script></body></html>\n"
    )
