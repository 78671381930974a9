"""The one entry point of the coaching core: wording findings and promised follow-ups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from coaching.derived import MODULES, derived, kept
from coaching.engine import ANTIPATTERNS, RuleSet, derive, literal_mask, run_rules
from coaching.followup_verbs import STEMS
from coaching.followups import find_followups
from coaching.kept_sets import rule_sets
from coaching.lang import detect_register, lang_evidence
from coaching.model import Analysis, Finding, FollowUp, Lang, Register, Role, made
from coaching.normalize import fold, fold_letters
from coaching.rules import RULES, Rule
from coaching.spelling import table, words_of


def _checked_by(role: Role, lang: Lang) -> list[Rule]:
    """Customers are checked for abuse only; agents for every other category."""
    return [r for r in RULES if r.lang == lang and (r.category == "abuse") == (role == "customer")]


# An agent's line is looked for its language's promise stems in the same literal scan (the
# set's cue): a line without any has no follow-up, and the follow-up search is not run for it.
# The sets are kept between runs (coaching/kept_sets.py); the patterns' derived data is read
# only to build them.
_SETS: dict[tuple[Role, Lang], RuleSet] = rule_sets(
    {
        (role, lang): (_checked_by(role, lang), STEMS[lang] if role == "agent" else ())
        for role in ("agent", "customer")
        for lang in ("es", "en")
    },
    lambda: derived((p.pattern for r in RULES for p in (*r.patterns, *r.antipatterns)), derive),
)
# The rules' own words, as chat misspells them ("deveria", "ubiera"): restored by `fold`. The
# table is kept by the text it is made from; the words are read from it only when that changed.
_PATTERNS = [p.pattern for r in RULES for p in r.patterns]
_EXAMPLES = [example for r in RULES for example in (*r.flag, *r.pass_)]
_SPELL = kept(
    "spelling",
    "\n".join((*_PATTERNS, *_EXAMPLES)),
    lambda: table(words_of(_PATTERNS, map(fold_letters, _EXAMPLES))),
)

MODULES.save()  # every coaching module is imported by now, its regexes compiled
ANTIPATTERNS.save()  # the built-in rules' joined antipatterns, compiled with the sets


def _YOU() -> Register:
    return "you"


def _analysis(
    lang: Lang,
    register: Callable[[], Register],
    findings: tuple[Finding, ...],
    followups: tuple[FollowUp, ...] = (),
) -> Analysis:
    """`Analysis(...)`, made for every line (`model.made`)."""
    fields = {"lang": lang, "register_of": register, "findings": findings, "followups": followups}
    return made(Analysis, fields)


def _zone(tz: str | ZoneInfo | None) -> ZoneInfo:
    if tz is None:
        return ZoneInfo("UTC")
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def _aware(now: datetime | None, zone: ZoneInfo) -> datetime:
    if now is not None and now.tzinfo is zone:  # already in the zone (`calma analyze --jsonl`)
        return now
    if now is None:
        return datetime.now(UTC).astimezone(zone)
    if now.tzinfo is None or now.utcoffset() is None:
        return now.replace(tzinfo=zone)
    return now.astimezone(zone)


def analyze(
    text: str,
    role: Role = "agent",
    lang: Lang | None = None,
    now: datetime | None = None,
    tz: str | ZoneInfo | None = None,
) -> Analysis:
    """Findings about the wording of one message and, for agents, the follow-ups it promises.

    `now` is the message time (default: the current time); a naive `now` is read in `tz`
    (an IANA name or ZoneInfo, default UTC).
    """
    folded = fold(text, _SPELL)
    es, en = (0, 0) if lang else lang_evidence(folded.text, folded.runs)
    language: Lang = lang or ("en" if en > es else "es")
    memo: list[Register] = []

    def register_of() -> Register:
        # `language` is read when called: it changes below only together with `register`.
        if not memo:
            memo.append(detect_register(folded.text, language, text))
        return memo[0]

    # The form of address, worked out on first use (most lines never need it): a closure, where
    # an instance of a class with its own __init__ cost a Python frame a line.
    register: Callable[[], Register] = register_of
    rules = _SETS[(role, language)]
    mask = literal_mask(rules, folded.text)
    findings = run_rules(folded, rules, language, register, mask)
    if not findings and not lang and es == en:
        # No stop word tells the languages apart ("Sir, calm down."): try English's rules too.
        en_rules = _SETS[(role, "en")]
        en_mask = literal_mask(en_rules, folded.text)
        english = run_rules(folded, en_rules, "en", _YOU, en_mask)
        if english:
            language, register, findings = "en", _YOU, english
            rules, mask = en_rules, en_mask
    if role != "agent":
        return _analysis(language, register, tuple(findings))
    zone = _zone(tz)  # an unknown zone is an error, follow-ups or not
    if not mask & rules.cue_bit:  # no promise stem of the language: no follow-up
        return _analysis(language, register, tuple(findings))
    followups = find_followups(folded, language, _aware(now, zone), zone)
    return _analysis(language, register, tuple(findings), tuple(followups))
