"""A team's own rules, without forking: phrases to flag or allow, from `/coach reglas` and from a
YAML file per workspace in the built-in rules' format.

Phrases are folded like the text (accents, case, chat spelling) and matched as an alternation of
escaped literals, so they run in linear time; a file's own regex `patterns` must pass
`regex_guard` (no nested or alternating unbounded repetition, no backreferences) or the file is
refused, with the file and line named. Allowed phrases excuse any finding they overlap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from coaching.engine import RuleSet, dedupe, rule_set, run_rules
from coaching.model import CATEGORIES, Analysis, Category, Finding, Lang, Role
from coaching.normalize import fold
from coaching.regex_guard import problem
from coaching.rules.loader import Rule, _rule, phrase_regex

MAX_PHRASE = 200  # characters of one team phrase


class TeamRulesError(ValueError):
    """A team rules file that cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class TeamPhrase:
    """A phrase a lead added: flag it (with a category and a suggestion) or allow it."""

    id: str
    phrase: str
    lang: Lang
    category: Category | None = None  # None: an allowed phrase
    suggestion: str | None = None


def phrase_rule(p: TeamPhrase, explanation: str, default_suggestion: str) -> Rule:
    """A `tokens` rule for one flagged phrase (the same type the built-in rules use)."""
    assert p.category is not None
    return _rule(
        {
            "id": f"{p.category}.{p.lang}.{p.id}",
            "type": "tokens",
            "tokens": [p.phrase],
            "explanation": explanation,
            "suggestion": p.suggestion or default_suggestion,
            "tip": 1,
        },
        p.category,
        p.lang,
        "team",
        {},
    )


@dataclass(frozen=True)
class TeamRules:
    """A workspace's extra rules and allowed phrases, ready to run."""

    rules: tuple[Rule, ...] = ()
    allowed: tuple[str, ...] = ()
    _sets: dict[tuple[Role, Lang], RuleSet] = field(default_factory=dict, compare=False)
    _allow: re.Pattern[str] | None = field(default=None, compare=False)

    @staticmethod
    def of(rules: Iterable[Rule], allowed: Iterable[str]) -> TeamRules:
        chosen = tuple(rules)
        phrases = tuple(a for a in allowed if a.strip())
        sets: dict[tuple[Role, Lang], RuleSet] = {}
        roles: tuple[Role, ...] = ("agent", "customer")
        langs: tuple[Lang, ...] = ("es", "en")
        for role in roles:
            for lang in langs:
                sets[(role, lang)] = rule_set(
                    [
                        r
                        for r in chosen
                        if r.lang == lang and (r.category == "abuse") == (role == "customer")
                    ]
                )
        allow = re.compile(phrase_regex(phrases)) if phrases else None
        return TeamRules(chosen, phrases, sets, allow)

    def __bool__(self) -> bool:
        return bool(self.rules or self.allowed)

    def merged(self, other: TeamRules) -> TeamRules:
        return TeamRules.of((*self.rules, *other.rules), (*self.allowed, *other.allowed))

    def apply(self, text: str, analysis: Analysis, role: Role) -> tuple[Finding, ...]:
        """The analysis's findings plus the team's, without those an allowed phrase overlaps."""
        if not self:
            return analysis.findings
        folded = fold(text)
        extra: list[Finding] = []
        chosen = self._sets.get((role, analysis.lang))
        if chosen is not None and chosen.rules:
            extra = run_rules(folded, chosen, analysis.lang, analysis.register_of)
        found = dedupe([*analysis.findings, *extra]) if extra else list(analysis.findings)
        if self._allow is None:
            return tuple(found)
        spans = [folded.span(m.start(), m.end()) for m in self._allow.finditer(folded.text)]
        return tuple(f for f in found if not any(s < f.end and f.start < e for s, e in spans))


# ---- the YAML file of a workspace ----


def _lines(text: str, source: str) -> list[tuple[Any, int]]:
    """The file's entries, each with the line it starts on (1-based)."""
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise TeamRulesError(
            f"{source}:{line}: not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from exc
    if data is None:
        return []
    if not isinstance(data, list) or node is None or not isinstance(node, yaml.SequenceNode):
        raise TeamRulesError(f"{source}:1: the top level must be a list of rules")
    return [(entry, item.start_mark.line + 1) for entry, item in zip(data, node.value, strict=True)]


def _check_examples(rule: Rule, where: str) -> None:
    """A rule's own flag examples must be flagged by it, and its pass examples not."""
    alone = TeamRules.of([rule], ())
    role: Role = "customer" if rule.category == "abuse" else "agent"
    for example in rule.flag:
        found = alone.apply(example, Analysis(rule.lang, lambda: "usted"), role)
        if not any(f.rule == rule.id for f in found):
            raise TeamRulesError(f"{where}: the flag example {example!r} is not flagged")
    for example in rule.pass_:
        found = alone.apply(example, Analysis(rule.lang, lambda: "usted"), role)
        if any(f.rule == rule.id for f in found):
            raise TeamRulesError(f"{where}: the pass example {example!r} is flagged")


def parse_file(text: str, source: str) -> TeamRules:
    """A workspace's rules file: rule entries as in coaching/rules/*.yml (the id says category and
    language: `judgement.es.mi-regla`), and `- allow: [frases]`. Errors name the file and line."""
    rules: list[Rule] = []
    allowed: list[str] = []
    seen: set[str] = set()
    for entry, line in _lines(text, source):
        where = f"{source}:{line}"
        if isinstance(entry, dict) and set(entry) == {"allow"}:
            phrases = entry["allow"]
            if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
                raise TeamRulesError(f"{where}: allow must be a list of phrases")
            allowed += phrases
            continue
        if not isinstance(entry, dict):
            raise TeamRulesError(f"{where}: every entry must be a rule (a mapping) or allow")
        rid = str(entry.get("id", ""))
        category, _, rest = rid.partition(".")
        lang = rest.partition(".")[0]
        if category not in CATEGORIES or lang not in ("es", "en"):
            raise TeamRulesError(
                f"{where}: id {rid!r} must start with <category>.<es|en>. (categories: "
                + ", ".join(CATEGORIES)
                + ")"
            )
        if rid in seen:
            raise TeamRulesError(f"{where}: the id {rid!r} is used twice")
        seen.add(rid)
        for key in ("patterns", "antipatterns"):
            for pattern in entry.get(key) or []:
                if isinstance(pattern, str) and (why := problem(pattern)):
                    raise TeamRulesError(f"{where}: {key} {pattern!r} refused: {why}")
        try:
            rule = _rule(entry, category, cast(Lang, lang), source, {})
        except ValueError as exc:
            message = str(exc).removeprefix(f"{source}: ")
            raise TeamRulesError(f"{where}: {message}") from exc
        _check_examples(rule, where)
        rules.append(rule)
    return TeamRules.of(rules, allowed)


def load_file(path: Path) -> TeamRules:
    """Read and validate one workspace's file (raises TeamRulesError naming file and line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TeamRulesError(f"{path}:1: cannot read it ({exc})") from exc
    return parse_file(text, str(path))


def load_dir(folder: Path) -> dict[str, TeamRules]:
    """Every `<workspace>.yml` in `folder`, validated; the first bad file raises."""
    return {f.stem: load_file(f) for f in sorted(folder.glob("*.yml")) if f.is_file()}


def check_phrase(phrase: str) -> str | None:
    """Why a phrase typed in `/coach reglas` is refused (a catalogue key), or None."""
    words = fold(phrase).text.split()
    if not words:
        return "rules.team.empty_phrase"
    if len(phrase) > MAX_PHRASE:
        return "rules.team.long_phrase"
    return None


def allowed_phrases(phrases: Sequence[TeamPhrase]) -> tuple[str, ...]:
    return tuple(p.phrase for p in phrases if p.category is None)
