"""`/coach equipo`: team aggregates by category and rule, "no aplica" rates, follow-ups kept."""

from __future__ import annotations

from bot.i18n import Lang, t
from bot.model import Card, Section, person
from bot.store.base import AgentStats, TeamStats

MIN_GROUP = 3  # per-agent rows are shown only for groups of at least this many agents


def team_card(stats: TeamStats, days: int, lang: Lang) -> Card:
    """The figures as a card; per-person rows only when the group is large enough."""
    title = t("team.title", lang, days=days)
    fu = stats.followups
    if stats.nudges == 0 and not (fu.on_time or fu.late or fu.open or fu.cancelled):
        return Card(title=title, sections=(Section(t("team.empty", lang)),))

    def row(label: str, value: object) -> str:
        return t("team.row", lang, label=label, value=value)

    na = sum(r.not_applicable for r in stats.by_rule)
    rate = round(100 * na / stats.nudges) if stats.nudges else 0
    sections = [
        Section(row(t("team.nudges", lang), stats.nudges)),
        Section(row(t("team.not_applicable_rate", lang), f"{rate} %")),
        Section(row(t("team.followups_on_time", lang), fu.on_time)),
        Section(row(t("team.followups_late", lang), fu.late)),
    ]
    if stats.by_category:
        lines = [row(t(f"team.categories.{c}", lang), n) for c, n in stats.by_category]
        sections.append(Section("\n".join(lines), heading=t("team.by_category", lang)))
    if stats.by_rule:
        lines = [
            row(
                r.rule,
                t("team.rule_value", lang, n=r.nudges, rate=round(100 * r.not_applicable_rate)),
            )
            for r in stats.by_rule
        ]
        sections.append(Section("\n".join(lines), heading=t("team.by_rule", lang)))
    sections.append(per_agent_section(stats.agents, lang))
    return Card(title=title, sections=tuple(sections))


def per_agent_section(agents: tuple[AgentStats, ...], lang: Lang) -> Section:
    """One row per agent when the group has at least MIN_GROUP of them; otherwise only a line
    saying the group is too small (team figures never single a person out)."""
    if len(agents) < MIN_GROUP:
        return Section(t("team.too_small", lang))
    lines = [
        t(
            "team.row",
            lang,
            label=person(a.user),
            value=t(
                "team.agent_value",
                lang,
                nudges=a.nudges,
                not_applicable=a.not_applicable,
                on_time=a.followups.on_time,
                late=a.followups.late,
            ),
        )
        for a in agents
    ]
    return Section("\n".join(lines), heading=t("team.per_agent", lang))
