"""A lead's digest: nudges per category this period and the one before, rules worth tuning,
follow-ups kept, abuse and escalations, per-person rows only for groups of 3 or more; with a chart.

`/coach resumen` sends it to the lead's own chat with Coach (never a channel); the weekly one is
sent by `bot/service/digest_schedule.py`. `/coach mis-cifras` shows an agent their own figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.commands import Digest, MyFigures, ParsedCommand
from bot.i18n import Lang, t
from bot.model import Card, Chart, Command, DirectMessage, Reply, Section, Series
from bot.service.cards import text_card
from bot.service.commands import private
from bot.service.context import Who
from bot.service.deps import Deps
from bot.service.team import per_agent_section
from bot.store.base import TeamStats
from bot.store.digests import EpisodeCounts
from bot.store.protocol import Store
from coaching.model import CATEGORIES

TUNE_MAX = 3  # rules shown as worth tuning


@dataclass(frozen=True)
class DigestFigures:
    """Everything a digest shows, for a window of `days` ending at `until`."""

    days: int
    current: TeamStats
    previous: TeamStats
    episodes: EpisodeCounts
    previous_episodes: EpisodeCounts


def figures(store: Store, platform: str, workspace: str, days: int, now: datetime) -> DigestFigures:
    """The team's figures over the last `days` and the `days` before them."""
    until = now + timedelta(microseconds=1)  # [since, until): include this instant
    start = until - timedelta(days=days)
    before = start - timedelta(days=days)
    return DigestFigures(
        days=days,
        current=store.team_stats(platform, workspace, since=start, until=until),
        previous=store.team_stats(platform, workspace, since=before, until=start),
        episodes=store.count_episodes(platform, workspace, since=start, until=until),
        previous_episodes=store.count_episodes(platform, workspace, since=before, until=start),
    )


def _categories(*periods: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    """The categories any period has, in the catalogue's order."""
    seen = {c for period in periods for c, _ in period}
    return tuple(c for c in CATEGORIES if c in seen) + tuple(sorted(seen - set(CATEGORIES)))


def category_chart(
    now: tuple[tuple[str, int], ...], before: tuple[tuple[str, int], ...], days: int, lang: Lang
) -> Chart | None:
    """Bars per category: this period beside the one before; None when both are empty."""
    labels = _categories(now, before)
    if not labels:
        return None
    this, last = dict(now), dict(before)
    names = tuple(t(f"team.categories.{c}", lang) for c in labels)
    current = Series(
        t("digest.this_period", lang, days=days), tuple(this.get(c, 0) for c in labels)
    )
    previous = Series(t("digest.previous_period", lang), tuple(last.get(c, 0) for c in labels))
    alt = "; ".join(
        t("digest.alt_item", lang, label=name, now=a, before=b)
        for name, a, b in zip(names, current.values, previous.values, strict=True)
    )
    return Chart(t("digest.chart_title", lang), names, (current, previous), alt=alt)


def followup_chart(fig: DigestFigures, lang: Lang) -> Chart:
    """Follow-ups on time and late, abuse and escalations: this period beside the one before."""
    labels = (
        t("team.followups_on_time", lang),
        t("team.followups_late", lang),
        t("digest.abuse", lang),
        t("digest.escalations", lang),
    )

    def values(stats: TeamStats, episodes: EpisodeCounts) -> tuple[int, ...]:
        fu = stats.followups
        return (fu.on_time, fu.late, episodes.abuse, episodes.escalations)

    now = Series(t("digest.this_period", lang, days=fig.days), values(fig.current, fig.episodes))
    before = Series(t("digest.previous_period", lang), values(fig.previous, fig.previous_episodes))
    alt = "; ".join(
        t("digest.alt_item", lang, label=label, now=a, before=b)
        for label, a, b in zip(labels, now.values, before.values, strict=True)
    )
    return Chart(t("digest.followups_and_episodes", lang), labels, (now, before), alt=alt)


def digest_card(fig: DigestFigures, lang: Lang) -> Card:
    """The digest as a card with its chart."""
    cur, prev = fig.current, fig.previous
    title = t("digest.title", lang, days=fig.days)

    def row(label: str, value: object) -> str:
        return t("team.row", lang, label=label, value=value)

    def compare(now: int, before: int) -> str:
        return t("digest.compare", lang, now=now, before=before)

    fu = cur.followups
    quiet = cur.nudges == 0 and prev.nudges == 0 and not (fu.on_time or fu.late or fu.open)
    if quiet and not (fig.episodes.abuse or fig.episodes.escalations):
        return text_card(title, t("team.empty", lang))
    sections = [Section(row(t("team.nudges", lang), compare(cur.nudges, prev.nudges)))]
    before = dict(prev.by_category)
    if cur.by_category or prev.by_category:
        lines = [
            row(t(f"team.categories.{c}", lang), compare(dict(cur.by_category).get(c, 0), n))
            for c, n in (
                (c, before.get(c, 0)) for c in _categories(cur.by_category, prev.by_category)
            )
        ]
        sections.append(Section("\n".join(lines), heading=t("team.by_category", lang)))
    tune = sorted(
        (r for r in cur.by_rule if r.not_applicable),
        key=lambda r: (-r.not_applicable, -r.nudges, r.rule),
    )[:TUNE_MAX]
    if tune:
        lines = [
            t("digest.tune_item", lang, rule=r.rule, na=r.not_applicable, n=r.nudges) for r in tune
        ]
        sections.append(Section("\n".join(lines), heading=t("digest.tune", lang)))
    sections.append(
        Section(
            "\n".join(
                (
                    row(t("team.followups_on_time", lang), fu.on_time),
                    row(t("team.followups_late", lang), fu.late),
                    row(
                        t("digest.abuse", lang),
                        compare(fig.episodes.abuse, fig.previous_episodes.abuse),
                    ),
                    row(
                        t("digest.escalations", lang),
                        compare(fig.episodes.escalations, fig.previous_episodes.escalations),
                    ),
                )
            ),
            heading=t("digest.followups_and_episodes", lang),
        )
    )
    sections.append(per_agent_section(cur.agents, lang))
    chart = category_chart(cur.by_category, prev.by_category, fig.days, lang)
    return Card(title=title, sections=tuple(sections), chart=chart)


def digest_message(deps: Deps, who: Who, days: int) -> DirectMessage:
    """The lead's digest as a message in their own chat with Coach."""
    fig = figures(deps.store, who.platform, who.workspace, days, deps.clock.now())
    return DirectMessage(who.platform, who.workspace, who.user, digest_card(fig, who.lang))


def digest(deps: Deps, cmd: Command, who: Who, parsed: Digest) -> list[Reply]:
    """`/coach resumen`: the digest goes to the lead's chat with Coach; a note says so."""
    replies: list[Reply] = [digest_message(deps, who, parsed.window_days)]
    if cmd.channel is not None and cmd.platform != "console":
        replies.append(private(cmd, text_card(t("digest.sent", who.lang))))
    return replies


def my_figures(deps: Deps, cmd: Command, who: Who, parsed: MyFigures) -> list[Reply]:
    """`/coach mis-cifras`: one's own nudges per category (now and before) and follow-ups."""
    lang, days = who.lang, parsed.window_days
    now = deps.clock.now()
    start = now - timedelta(days=days)
    before = start - timedelta(days=days)
    p, ws, user = cmd.platform, cmd.workspace, cmd.author
    since_start = dict(deps.store.nudges_by_category(p, ws, user, since=start))
    since_before = dict(deps.store.nudges_by_category(p, ws, user, since=before))
    previous = {c: n - since_start.get(c, 0) for c, n in since_before.items()}
    mine = next(
        (
            a
            for a in deps.store.team_stats(
                p, ws, since=start, until=now + timedelta(microseconds=1)
            ).agents
            if a.user == user
        ),
        None,
    )
    title = t("my_figures.title", lang, days=days)
    if not since_before and mine is None:
        return [private(cmd, text_card(title, t("my_figures.empty", lang)))]
    current = tuple(since_start.items())
    earlier = tuple((c, n) for c, n in previous.items() if n)
    lines = [
        t(
            "team.row",
            lang,
            label=t(f"team.categories.{c}", lang),
            value=t("digest.compare", lang, now=since_start.get(c, 0), before=previous.get(c, 0)),
        )
        for c in _categories(current, earlier)
    ]
    sections = [Section("\n".join(lines), heading=t("team.by_category", lang))] if lines else []
    if mine is not None:
        sections.append(
            Section(
                t(
                    "my_figures.followups",
                    lang,
                    on_time=mine.followups.on_time,
                    late=mine.followups.late,
                    open=mine.followups.open,
                )
            )
        )
    sections.append(Section(t("my_figures.private", lang)))
    return [private(cmd, Card(title=title, sections=tuple(sections)))]


def digest_commands(
    deps: Deps, cmd: Command, who: Who, parsed: ParsedCommand
) -> list[Reply] | None:
    """Run `resumen` or `mis-cifras`; None when `parsed` is neither."""
    match parsed:
        case Digest():
            return digest(deps, cmd, who, parsed)
        case MyFigures():
            return my_figures(deps, cmd, who, parsed)
    return None
