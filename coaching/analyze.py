"""The one entry point of the coaching core: wording findings and promised follow-ups."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from coaching.derived import MODULES, derived, kept
from coaching.engine import (
    ANTIPATTERNS,
    RuleSet,
    derive,
    literal_mask,
    matched,
    run_rules,
    worded,
)
from coaching.followup_verbs import STEMS
from coaching.followups import find_followups
from coaching.kept_sets import rule_sets
from coaching.lang import detect_register, lang_evidence
from coaching.model import Analysis, Finding, FollowUp, Lang, Register, Role, made
from coaching.normalize import Folded, fold, fold_letters
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


# One message to analyse: its text, role, language (None: detected), time and zone (`analyze`).
Request = tuple[str, Role, Lang | None, datetime | None, str | ZoneInfo | None]


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
    # The stages of `analyze_many`, for one message: no lists built around it.
    folded = fold(text, _SPELL)
    evidence = (0, 0) if lang else lang_evidence(folded.text, folded.runs)
    language = _language(lang, evidence)
    rules = _SETS[(role, language)]
    mask = literal_mask(rules, folded.text)
    register = _register_of(folded, language, text)
    found = run_rules(folded, rules, language, register, mask)
    request = (text, role, lang, now, tz)
    return _finished(folded, request, evidence, language, register, rules, mask, found)


def analyze_many(requests: Sequence[Request]) -> list[Analysis]:
    """`analyze(*request)` of each request, in order, with the same answers; raises what
    `analyze` raises for one of them.

    The work goes stage by stage over all of them: every text folded, then every language and
    literal scan, then every text's rule matches, then their wording, then the follow-ups.
    Taken one message at a time through every stage, each stage's code and tables (the scan's
    automaton, the rule regexes, the rewrites' lexicons) pushed the others' out of the
    processor's caches: over the lines of bench_floor.py, in chunks of 600 as `calma analyze
    --jsonl` hands them over, a third less time than one at a time (29 % interpreted, 36 %
    compiled)."""
    folded = [fold(r[0], _SPELL) for r in requests]
    evidence = [
        (0, 0) if r[2] else lang_evidence(f.text, f.runs)
        for r, f in zip(requests, folded, strict=True)
    ]
    languages = [_language(r[2], e) for r, e in zip(requests, evidence, strict=True)]
    sets = [_SETS[(r[1], language)] for r, language in zip(requests, languages, strict=True)]
    masks = [literal_mask(rules, f.text) for rules, f in zip(sets, folded, strict=True)]
    registers = [
        _register_of(f, language, r[0])
        for r, f, language in zip(requests, folded, languages, strict=True)
    ]
    candidates = [
        matched(f, rules, language, mask)
        for f, rules, language, mask in zip(folded, sets, languages, masks, strict=True)
    ]
    findings = [
        worded(f, rules, language, register, found)
        for f, rules, language, register, found in zip(
            folded, sets, languages, registers, candidates, strict=True
        )
    ]
    return [
        _finished(
            folded[i],
            request,
            evidence[i],
            languages[i],
            registers[i],
            sets[i],
            masks[i],
            findings[i],
        )
        for i, request in enumerate(requests)
    ]


def _language(lang: Lang | None, evidence: tuple[int, int]) -> Lang:
    """The language given, else the one with more stop words (`lang_evidence`); Spanish on a tie."""
    es, en = evidence
    return lang or ("en" if en > es else "es")


def _finished(
    folded: Folded,
    request: Request,
    evidence: tuple[int, int],
    language: Lang,
    register: Callable[[], Register],
    rules: RuleSet,
    mask: int,
    found: list[Finding],
) -> Analysis:
    """The analysis of one message whose rules have run (`found`): the English rules tried when
    no stop word places it, then, for an agent, the follow-ups."""
    _, role, lang, now, tz = request
    es, en = evidence
    if not found and not lang and es == en:
        # No stop word tells the languages apart ("Sir, calm down."): try English's rules.
        en_rules = _SETS[(role, "en")]
        en_mask = literal_mask(en_rules, folded.text)
        english = run_rules(folded, en_rules, "en", _YOU, en_mask)
        if english:
            language, register, found = "en", _YOU, english
            rules, mask = en_rules, en_mask
    if role != "agent":
        return _analysis(language, register, tuple(found))
    zone = _zone(tz)  # an unknown zone is an error, follow-ups or not
    if not mask & rules.cue_bit:  # no promise stem of the language: no follow-up
        return _analysis(language, register, tuple(found))
    followups = find_followups(folded, language, _aware(now, zone), zone)
    return _analysis(language, register, tuple(found), tuple(followups))


def _register_of(folded: Folded, language: Lang, text: str) -> Callable[[], Register]:
    """The form of address of a message, worked out on its first call (most never need it): a
    closure, where an instance of a class with its own __init__ cost a Python frame a line."""
    memo: list[Register] = []

    def register_of() -> Register:
        if not memo:
            memo.append(detect_register(folded.text, language, text))
        return memo[0]

    return register_of
