"""A workspace's own rules at work: the phrases leads added (`/coach reglas agregar|permitir|
quitar`) and its YAML file in CALMA_RULES_DIR, applied after the built-in rules."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from bot.commands import Rules
from bot.i18n import Lang, t
from bot.model import Card, Command, PrivateNotice, Reply
from bot.service.cards import text_card
from bot.service.context import Who
from bot.service.deps import Deps
from bot.store.team_rules import TeamPhraseRow
from coaching.lang import lang_evidence
from coaching.model import Analysis, Category, Finding, Role
from coaching.normalize import fold
from coaching.team_rules import (
    TeamPhrase,
    TeamRules,
    TeamRulesError,
    check_phrase,
    load_file,
    phrase_rule,
)

log = logging.getLogger(__name__)


def rules_file(rules_dir: str | None, workspace: str) -> Path | None:
    """The workspace's rules file, if CALMA_RULES_DIR has one."""
    if not rules_dir:
        return None
    path = Path(rules_dir) / f"{workspace}.yml"
    return path if path.is_file() else None


@dataclass
class TeamRulesCache:
    """Each workspace's compiled team rules, rebuilt when its phrases or its file change."""

    _built: dict[tuple[str, str], tuple[object, TeamRules]] = field(default_factory=dict)

    def get(self, deps: Deps, platform: str, workspace: str) -> TeamRules:
        rows = deps.store.team_phrases(platform, workspace)
        path = rules_file(deps.settings.rules_dir, workspace)
        stamp = (tuple(r.id for r in rows), path and path.stat().st_mtime_ns)
        cached = self._built.get((platform, workspace))
        if cached is not None and cached[0] == stamp:
            return cached[1]
        built = _build(rows, path)
        self._built[(platform, workspace)] = (stamp, built)
        return built


def _build(rows: list[TeamPhraseRow], path: Path | None) -> TeamRules:
    phrases = TeamRules.of(
        [
            phrase_rule(
                _phrase(r),
                t("rules.team.explanation", r.lang),
                t("rules.team.suggestion", r.lang),
            )
            for r in rows
            if r.category is not None
        ],
        [r.phrase for r in rows if r.category is None],
    )
    if path is None:
        return phrases
    try:
        return phrases.merged(load_file(path))
    except TeamRulesError as exc:  # changed while running: keep the phrases, say why
        log.error("team rules file refused, its rules are not used: %s", exc)
        return phrases


def _phrase(row: TeamPhraseRow) -> TeamPhrase:
    return TeamPhrase(
        f"team-{row.id}",
        row.phrase,
        cast(Lang, row.lang),
        cast(Category, row.category),
        row.suggestion,
    )


def with_team_rules(
    deps: Deps, platform: str, workspace: str, text: str, analysis: Analysis, role: Role
) -> tuple[Finding, ...]:
    """The analysis's findings with the workspace's own rules applied."""
    return deps.team_rules.get(deps, platform, workspace).apply(text, analysis, role)


def phrase_lang(phrase: str, fallback: Lang) -> Lang:
    """The language a phrase is written in (its stop words), else the lead's."""
    es, en = lang_evidence(fold(phrase).text)
    return "en" if en > es else "es" if es > en else fallback


def private(cmd: Command, card: Card) -> PrivateNotice:
    """An answer only the command's author sees, where they typed it."""
    return PrivateNotice(cmd.platform, cmd.workspace, cmd.author, cmd.channel, cmd.thread, card)


def team_rule_command(deps: Deps, cmd: Command, who: Who, parsed: Rules) -> list[Reply]:
    """Add a phrase to flag or allow, or remove one."""
    lang, store = who.lang, deps.store
    if parsed.op == "remove":
        assert parsed.phrase_id is not None
        gone = store.remove_team_phrase(cmd.platform, cmd.workspace, parsed.phrase_id)
        key = "rules.team.removed" if gone else "rules.team.no_such"
        return [private(cmd, text_card(t(key, lang, n=parsed.phrase_id)))]
    phrase = parsed.phrase or ""
    if refused := check_phrase(phrase):
        return [private(cmd, text_card(t(refused, lang)))]
    row = store.add_team_phrase(
        cmd.platform,
        cmd.workspace,
        phrase=phrase,
        lang=phrase_lang(phrase, lang),
        category=parsed.category if parsed.op == "add" else None,
        suggestion=parsed.suggestion,
        by=cmd.author,
        at=deps.clock.now(),
    )
    if parsed.op == "allow":
        return [private(cmd, text_card(t("rules.team.allowed", lang, phrase=phrase, n=row.id)))]
    category = t(f"team.categories.{parsed.category}", lang)
    added = t("rules.team.added", lang, phrase=phrase, category=category, n=row.id)
    return [private(cmd, text_card(added))]


def team_lines(deps: Deps, cmd: Command, lang: Lang) -> list[str]:
    """The team's phrases and its file, as lines for `/coach reglas`."""
    lines = []
    for r in deps.store.team_phrases(cmd.platform, cmd.workspace):
        if r.category is None:
            lines.append(t("rules.team.item_allow", lang, n=r.id, phrase=r.phrase))
        else:
            category = t(f"team.categories.{r.category}", lang)
            lines.append(t("rules.team.item", lang, n=r.id, phrase=r.phrase, category=category))
    path = rules_file(deps.settings.rules_dir, cmd.workspace)
    if path is not None:
        lines.append(t("rules.team.file", lang, path=path.name))
    return lines
