"""`calma report`: the leads' digest as a self-contained HTML page with inline SVG charts.

The store and the digest are imported when the report runs, so registering `report` costs
`calma analyze` nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings
from bot.errors import StoreError
from bot.i18n import Lang, as_lang, t

if TYPE_CHECKING:
    from bot.model import Chart
    from bot.store.sqlite import SqliteStore

MAX_DAYS = 366
_SINCE = re.compile(r"(\d{1,3})\s*(d|dias|días|days|w|semanas|weeks)?", re.IGNORECASE)


def days_of(text: str) -> int:
    """`30d`, `4w` or `7` as a number of days (1 … 366); ValueError otherwise."""
    m = _SINCE.fullmatch(text.strip())
    if not m:
        raise ValueError(text)
    unit = (m.group(2) or "d").casefold()
    days = int(m.group(1)) * (7 if unit in ("w", "semanas", "weeks") else 1)
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(text)
    return days


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `report` to the `calma` parser."""
    p = subparsers.add_parser(
        "report",
        help="the leads' digest as a self-contained HTML page with charts",
        description="Write the team figures of every workspace (or one) over the last period and"
        " the one before as one HTML file with inline SVG charts; open it in any browser.",
    )
    p.add_argument("--db", help="SQLite file (default: CALMA_DB or ./calma.db)")
    p.add_argument("--since", default="30d", help="the period: 7d, 30d, 4w … (default 30d)")
    p.add_argument("--out", default="report.html", help="the HTML file to write")
    p.add_argument("--lang", choices=("es", "en"), help="language (default: CALMA_LANG or es)")
    p.add_argument("--workspace", help="only this workspace id (default: every one)")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env()
        days = days_of(args.since)
    except ConfigError as exc:
        print(f"calma report: {exc}", file=sys.stderr)
        return 2
    except ValueError:
        print(f"calma report: --since {args.since!r}: use e.g. 7d, 30d or 4w", file=sys.stderr)
        return 2
    lang: Lang = as_lang(args.lang) or as_lang(settings.lang) or "es"
    db = Path(args.db or settings.db)
    if not db.exists():
        print(f"calma report: {db} does not exist", file=sys.stderr)
        return 2
    from bot.store.sqlite import SqliteStore

    try:
        html = build(SqliteStore(db), days, lang, datetime.now(UTC), args.workspace)
    except StoreError as exc:
        print(f"calma report: {exc}", file=sys.stderr)
        return 1
    out = Path(args.out)
    try:  # its folder made as `calma teams-package` makes the zip's
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    except OSError as exc:  # a folder in the way, no permission, a full disk
        print(f"calma report: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(t("report.written", lang, path=out.resolve()))
    return 0


def build(store: SqliteStore, days: int, lang: Lang, now: datetime, only: str | None = None) -> str:
    """The report's HTML for every workspace in the store (or `only` that one)."""
    from app.report_html import page
    from bot.service.digest import category_chart, digest_card, figures, followup_chart

    sections = []
    try:
        for platform, workspace in store.workspaces():
            if only is not None and workspace != only:
                continue
            fig = figures(store, platform, workspace, days, now)
            card = digest_card(fig, lang)
            charts: list[Chart] = []
            if chart := category_chart(
                fig.current.by_category, fig.previous.by_category, days, lang
            ):
                charts.append(chart)
            charts.append(followup_chart(fig, lang))
            sections.append((f"{platform} · {workspace}", card, tuple(charts)))
    finally:
        store.close()
    return page(sections, days, lang, now)
