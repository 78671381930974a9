"""`/coach` commands that steer the team: equipo, canal, reglas, leads, clientes, ajustes."""

from __future__ import annotations

from datetime import timedelta

from bot.commands import ChannelPause, Customers, Leads, ParsedCommand, Rules, Settings, Team
from bot.i18n import Lang, as_lang, t
from bot.model import Command, Reply, person
from bot.service.cards import text_card
from bot.service.commands import private
from bot.service.context import Who
from bot.service.deps import Deps
from bot.service.digest_schedule import day_of, set_day
from bot.service.team import team_card
from bot.service.team_rules import team_lines, team_rule_command
from bot.store.base import WorkspaceRow
from coaching.rules import RULES


def team(deps: Deps, cmd: Command, who: Who, parsed: Team) -> list[Reply]:
    """Team figures over the last 7 or 30 days."""
    now = deps.clock.now()
    stats = deps.store.team_stats(
        cmd.platform,
        cmd.workspace,
        since=now - timedelta(days=parsed.window_days),
        until=now + timedelta(microseconds=1),  # [since, until): include this instant
    )
    return [private(cmd, team_card(stats, parsed.window_days, who.lang))]


def channel(deps: Deps, cmd: Command, who: Who, parsed: ChannelPause) -> list[Reply]:
    """Pause or resume coaching in the channel the command was typed in."""
    if cmd.channel is None:
        return [private(cmd, text_card(t("channel.not_a_channel", who.lang)))]
    deps.store.set_channel_paused(cmd.platform, cmd.workspace, cmd.channel, parsed.paused)
    return [
        private(
            cmd, text_card(t("channel.paused" if parsed.paused else "channel.resumed", who.lang))
        )
    ]


def rules(deps: Deps, cmd: Command, who: Who, parsed: Rules) -> list[Reply]:
    """List the rules (marking disabled ones), or switch one off or on for the workspace."""
    lang = who.lang
    if parsed.op in ("add", "allow", "remove"):
        return team_rule_command(deps, cmd, who, parsed)
    if parsed.op == "list" or parsed.rule is None:
        disabled = deps.store.disabled_rules(cmd.platform, cmd.workspace)
        team = team_lines(deps, cmd, lang)
        if not RULES:
            return [private(cmd, text_card(t("rules.none", lang)))]
        lines = []
        for r in RULES:
            line = t(
                "rules.item", lang, rule=r.id, category=t(f"team.categories.{r.category}", lang)
            )
            lines.append(f"{line} {t('rules.disabled_mark', lang)}" if r.id in disabled else line)
        if team:
            lines += ["", t("rules.team.title", lang), *team]
        return [private(cmd, text_card(t("rules.title", lang), "\n".join(lines)))]
    if parsed.rule not in {r.id for r in RULES}:
        return [private(cmd, text_card(t("rules.unknown", lang, rule=parsed.rule)))]
    if parsed.op == "disable":
        deps.store.disable_rule(cmd.platform, cmd.workspace, parsed.rule, by=cmd.author)
        return [private(cmd, text_card(t("rules.disabled", lang, rule=parsed.rule)))]
    deps.store.enable_rule(cmd.platform, cmd.workspace, parsed.rule)
    return [private(cmd, text_card(t("rules.enabled", lang, rule=parsed.rule)))]


def leads(deps: Deps, cmd: Command, who: Who, parsed: Leads) -> list[Reply]:
    """List the leads, or make someone a lead or an agent (never removing the last lead)."""
    store, lang = deps.store, who.lang
    current = store.leads(cmd.platform, cmd.workspace)
    if parsed.op == "list" or parsed.user is None:
        if not current:
            return [private(cmd, text_card(t("leads.none", lang)))]
        names = "\n".join(person(u) for u in current)
        return [private(cmd, text_card(t("leads.title", lang), names))]
    user, named = parsed.user, person(parsed.user)
    if parsed.op == "add":
        if user in current:
            return [private(cmd, text_card(t("leads.already", lang, user=named)))]
        store.set_role(cmd.platform, cmd.workspace, user, "lead")
        return [private(cmd, text_card(t("leads.added", lang, user=named)))]
    if user not in current:
        return [private(cmd, text_card(t("leads.not_lead", lang, user=named)))]
    if len(current) == 1:
        return [private(cmd, text_card(t("leads.last_lead", lang)))]
    store.set_role(cmd.platform, cmd.workspace, user, "agent")
    return [private(cmd, text_card(t("leads.removed", lang, user=named)))]


def customers(deps: Deps, cmd: Command, who: Who, parsed: Customers) -> list[Reply]:
    """List the users marked as customers, or mark and unmark one."""
    store, lang = deps.store, who.lang
    if parsed.op == "list" or parsed.user is None:
        listed = sorted(store.customers(cmd.platform, cmd.workspace))
        if not listed:
            return [private(cmd, text_card(t("customers.none", lang)))]
        names = "\n".join(person(u) for u in listed)
        return [private(cmd, text_card(t("customers.title", lang), names))]
    if parsed.op == "add":
        store.add_customer(cmd.platform, cmd.workspace, parsed.user)
        return [private(cmd, text_card(t("customers.added", lang, user=person(parsed.user))))]
    if parsed.user not in store.customers(cmd.platform, cmd.workspace):
        return [private(cmd, text_card(t("customers.not_listed", lang, user=person(parsed.user))))]
    store.remove_customer(cmd.platform, cmd.workspace, parsed.user)
    return [private(cmd, text_card(t("customers.removed", lang, user=person(parsed.user))))]


def _setting_values(ws: WorkspaceRow, env_tz: str, lang: Lang) -> dict[str, str]:
    return {
        "language": ws.default_lang,
        "tz": ws.default_tz or t("settings.tz_default", lang, zone=env_tz),
        "cap": str(ws.daily_cap),
        "lead": str(ws.reminder_lead_minutes),
    }


def settings(deps: Deps, cmd: Command, who: Who, parsed: Settings) -> list[Reply]:
    """Show the workspace settings, one of them, or change one (leads)."""
    lang = who.lang

    def item(key: str, value: str) -> str:
        label, word = t(f"settings.keys.{key}", lang), t(f"settings.words.{key}", lang)
        return t("settings.item", lang, label=label, word=word, value=value)

    own = {
        "digest": t(
            f"settings.digest_days.{day_of(deps, who.platform, who.workspace, who.user)}", lang
        )
    }
    if parsed.key is None:
        lines = [
            item(k, v)
            for k, v in {**_setting_values(who.ws, deps.settings.tz, lang), **own}.items()
        ]
        hint = t("settings.hint", lang)
        return [private(cmd, text_card(t("settings.title", lang), "\n".join(lines), hint))]
    if parsed.value is None:
        value = {**_setting_values(who.ws, deps.settings.tz, lang), **own}[parsed.key]
        return [private(cmd, text_card(t("settings.title", lang), item(parsed.key, value)))]
    value = parsed.value
    p, ws = cmd.platform, cmd.workspace
    match parsed.key:
        case "language":
            deps.store.update_workspace(p, ws, default_lang=as_lang(value) or "es")
        case "tz":
            deps.store.update_workspace(p, ws, default_tz=value)
        case "cap":
            deps.store.update_workspace(p, ws, daily_cap=int(value))
        case "lead":
            deps.store.update_workspace(p, ws, reminder_lead_minutes=int(value))
        case "digest":
            set_day(deps, p, ws, cmd.author, value)
            value = t(f"settings.digest_days.{value}", lang)
    name = t(f"settings.names.{parsed.key}", lang)
    if parsed.key == "language":
        value = t(f"settings.languages.{as_lang(value) or 'es'}", lang)
    return [private(cmd, text_card(t("settings.updated", lang, name=name, value=value)))]


def for_leads(deps: Deps, cmd: Command, who: Who, parsed: ParsedCommand) -> list[Reply] | None:
    """Run a team command; None when `parsed` is not one of them."""
    match parsed:
        case Team():
            return team(deps, cmd, who, parsed)
        case ChannelPause():
            return channel(deps, cmd, who, parsed)
        case Rules():
            return rules(deps, cmd, who, parsed)
        case Leads():
            return leads(deps, cmd, who, parsed)
        case Customers():
            return customers(deps, cmd, who, parsed)
        case Settings():
            return settings(deps, cmd, who, parsed)
    return None
