"""Run wording rules over folded text: a handful of rule types, each a small function."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from re import _parser as sre  # type: ignore[attr-defined]
from typing import Any, TypeVar, get_args

import ahocorasick

from coaching.derived import Derived, Regexes
from coaching.model import Category, Finding, Lang, Register, made
from coaching.normalize import Folded
from coaching.prefilter import other_literals, required_literals, text_literals, trie_regex
from coaching.rewrite import SENTENCE_END, Line, rewrite
from coaching.rules import Rule
from coaching.subject import blame_en, blame_es

# Antipatterns look at the sentence, but never further than this around the match.
_REACH = 160
# A message repeating one phrase thousands of times gets at most this many findings per pattern.
_MAX_MATCHES = 20
# On a text longer than this, a pattern of bounded width runs only in windows around the
# literals every match contains (see `_windowed`); shorter lines are scanned whole.
_LONG = 2000
# Past a window's end the scan may read this much further, so lookaheads see real text.
_SLACK = 64
# A merged window this wide means the literals are dense: scan the rest of the text at once.
_DENSE = 4000
# The scan's literals are cut to this many characters: longer ones select fewer patterns to run
# (at 12, 1.6 a line of the 30,000 mixed lines of bench_floor.py against 2.4 at 8), and the
# automaton stays small enough to build at start-up (about 5,000 literals, 4 ms).
_SCAN_CUT = 12
# Windows are built around literals this long at most (longer ones cut): long enough that a text
# of the scan's short literals alone has no window, short enough that the regexes compiled for
# them stay small (about 2 ms a pattern, once per process, for its first long text).
_WINDOW_CUT = 16
# Other literal sets a pattern's scan bits require besides its own (`derive`): at most this
# many, of at most `_OTHER_SIZE` literals each (most have a handful; a few hundreds of them
# would make the automaton, built at every start, much bigger for little).
_OTHER_SETS = 3
_OTHER_SIZE = 64

T = TypeVar("T")
# A finding before it is worded: original start and end, the rule and its index in the set,
# and the folded start and end.
_Candidate = tuple[int, int, Rule, int, int, int]
Blame = Callable[[str, int, int], "tuple[int, int] | None"]
_BLAME: dict[Lang, Blame] = {"es": blame_es, "en": blame_en}


class _Sentences:
    """Sentence boundaries of one text, computed on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._ends: list[int] | None = None

    def _boundaries(self) -> list[int]:
        if self._ends is None:
            self._ends = [m.end() for m in SENTENCE_END.finditer(self.text)]
        return self._ends

    def around(self, start: int, end: int) -> tuple[int, int]:
        """The sentence holding [start, end), clipped to a bounded reach."""
        ends = self._boundaries()
        k = bisect_right(ends, start)
        left = ends[k - 1] if k > 0 else 0
        j = bisect_left(ends, end)
        right = ends[j] if j < len(ends) else len(self.text)
        return max(left, start - _REACH), min(right, end + _REACH)

    def after(self, end: int) -> tuple[int, int]:
        """From `end` to the end of the sentence after the one holding `end - 1`, clipped to a
        bounded reach."""
        ends = self._boundaries()
        j = bisect_left(ends, end)  # the end of the sentence holding the match
        right = ends[j + 1] if j + 1 < len(ends) else len(self.text)
        return end, min(right, end + 2 * _REACH)


@dataclass(frozen=True)
class RuleSet:
    """Rules run together behind one literal scan: a line without any trigger literal is clean,
    and a pattern runs only when the scan saw one of the literals every match of it contains."""

    rules: tuple[Rule, ...]
    # Per rule and pattern: those literals (None: not known), for windows on long texts.
    literals: tuple[tuple[frozenset[str] | None, ...], ...]
    # Per rule and pattern: how far a match reaches around one of its literals (None: unbounded).
    reach: tuple[tuple[int | None, ...], ...]
    # One Aho-Corasick automaton over every literal: each literal's value is the bit mask of the
    # (rule, pattern) pairs it lets run (bit i: pairs[i]); None when there is no literal.
    scan: Any
    # (rule, pattern) of each bit, in order; and those that always run, as pairs and as a mask.
    pairs: tuple[tuple[int, int], ...]
    always: frozenset[tuple[int, int]]
    always_mask: int
    # Per rule: what `_blocked` searches, its antipatterns joined in one regex where they can be.
    blockers: tuple[tuple[re.Pattern[str], ...], ...] = ()
    # The bit the scan sets for the `cue` words of `rule_set` (0: none), past the pairs' bits.
    cue_bit: int = 0
    # Per pair (as `pairs`): the bits, past the cue's, of the other literal sets its pattern's
    # every match holds one of (`prefilter.other_literals`, one bit a distinct set): the pair
    # runs only when the scan saw them all too. 0: none.
    requires: tuple[int, ...] = ()
    # The pairs' bits, (1 << len(pairs)) - 1.
    pairs_mask: int = 0
    # Per rule: the bit the scan sets for the literals one of which every match of any of its
    # antipatterns holds (`antipattern_literals`): without it in the text, no antipattern can
    # match anywhere and none is searched. -1 (every bit): not known, always searched.
    guards: tuple[int, ...] = ()
    # Per rule: its (suggestion, lead) when every form of address gives the same one (None:
    # it depends on the register, which is then worked out).
    worded: tuple[tuple[str | None, str | None], ...] = ()


def derive(pattern: str) -> Derived:
    """The literals every match of `pattern` contains (cut at `_SCAN_CUT` characters, sorted;
    None: none can be told), how far a match reaches around one of them (None: unbounded), and
    up to `_OTHER_SETS` other literal sets every match holds one of (each cut and sorted).
    Parsed once for all three."""
    tree = sre.parse(pattern)
    lits = required_literals(tree, cut=_SCAN_CUT)
    if lits is not None:
        found = other_literals(tree, _SCAN_CUT, _OTHER_SETS, _OTHER_SIZE)
    else:  # no literal every match holds: what its text must hold, if that is known
        read = text_literals(tree, cut=_SCAN_CUT)
        found = [] if read is None else [read]
        if read is None:  # else short literals ("hp", an emoji), rather than every line
            lits = required_literals(tree, cut=_SCAN_CUT, short=True)
    others = tuple(tuple(sorted(o)) for o in found)
    return (None if lits is None else tuple(sorted(lits))), _reach(tree, lits), others


def rule_set(
    rules: Sequence[Rule], known: Mapping[str, Derived] | None = None, cue: Sequence[str] = ()
) -> RuleSet:
    """Bundle `rules` with the literals their patterns need, so a line costs one literal scan.

    `known`: `derive` of some pattern texts, already worked out (coaching.derived). `cue`: more
    words the same scan looks for, for another use (`literal_mask` sets `RuleSet.cue_bit` when
    one is in the text): the promise verbs' stems, whose absence spares the follow-up search."""
    info = [[(known or {}).get(p.pattern) or derive(p.pattern) for p in r.patterns] for r in rules]
    needed = [[None if lits is None else frozenset(lits) for lits, _, _ in per] for per in info]
    pairs = tuple((ri, pi) for ri, per_rule in enumerate(needed) for pi in range(len(per_rule)))
    masks: dict[str, int] = {}
    always = 0
    for bit, (ri, pi) in enumerate(pairs):
        lits = needed[ri][pi]
        if lits is None and info[ri][pi][2]:  # chosen by what its text must hold instead
            lits = frozenset(info[ri][pi][2][0])
        if lits is None:
            always |= _bit(bit)
        for w in lits or ():
            masks[w] = masks.get(w, 0) | _bit(bit)
    cue_bit = _bit(len(pairs)) if cue else 0
    for w in cue:
        masks[w] = masks.get(w, 0) | cue_bit
    set_bits: dict[tuple[str, ...], int] = {}  # one bit a distinct other set
    requires: list[int] = []
    for ri, pi in pairs:
        need = 0
        for words in info[ri][pi][2] if needed[ri][pi] is not None else ():
            if words not in set_bits:
                set_bits[words] = _bit(len(pairs) + 1 + len(set_bits))
                for w in words:
                    masks[w] = masks.get(w, 0) | set_bits[words]
            need |= set_bits[words]
        requires.append(need)
    guards: list[int] = []
    next_bit = _bit(len(pairs) + 1 + len(set_bits))
    for rule in rules:
        held = antipattern_literals(rule, known)
        if held is None:
            guards.append(-1)
            continue
        guards.append(next_bit)
        next_bit <<= 1
        for w in held:
            masks[w] = masks.get(w, 0) | guards[-1]
    scan = None
    if masks:
        scan = ahocorasick.Automaton()
        for w, mask in masks.items():
            scan.add_word(w, mask)
        scan.make_automaton()
    literals = tuple(tuple(per_rule) for per_rule in needed)
    reach = tuple(tuple(wide for _, wide, _ in per) for per in info)
    run_always = frozenset(p for bit, p in enumerate(pairs) if always >> bit & 1)
    blockers = tuple(_blockers(r) for r in rules)
    return RuleSet(
        tuple(rules),
        literals,
        reach,
        scan,
        pairs,
        run_always,
        always,
        blockers,
        cue_bit,
        tuple(requires),
        _bit(len(pairs)) - 1,
        tuple(guards),
        tuple((_fixed(r.suggestion_for), _fixed(r.lead_for) if r.leads else None) for r in rules),
    )


def _bit(n: int) -> int:
    """The int with bit `n` set. A function of its own: where the coaching core is compiled
    (setup.py), `1 << len(pairs)` would be a shift of C integers, lost past bit 63; here `n` is
    a Python int, shifted as one."""
    return 1 << n


_ALL_REGISTERS: tuple[Register, ...] = get_args(Register)


def _fixed(worded: Callable[[Register], str]) -> str | None:
    """The text `worded` gives for every form of address, or None when they differ."""
    texts = {worded(register) for register in _ALL_REGISTERS}
    return texts.pop() if len(texts) == 1 else None


def antipattern_literals(
    rule: Rule, known: Mapping[str, Derived] | None = None
) -> frozenset[str] | None:
    """Literals (cut like the scan's) one of which every match of every antipattern of `rule`
    holds: the union of each one's `derive` literals. None when the rule has no antipattern,
    one of them has none that can be told, or carries flags (the scan reads folded text as it
    is). `known`: `derive` of some pattern texts, already worked out."""
    if not rule.antipatterns:
        return None
    out: set[str] = set()
    for ap in rule.antipatterns:
        if ap.flags != re.UNICODE:
            return None
        lits = ((known or {}).get(ap.pattern) or derive(ap.pattern))[0]
        if lits is None:
            return None
        out.update(lits)
    return frozenset(out)


# A rule's antipatterns joined in one alternation: one scan of the sentence around a candidate
# instead of one per antipattern (some rules have eight or eleven). Compiled code kept between
# runs (`ANTIPATTERNS.save()` once the built-in sets are made: coaching/analyze.py). Not joined:
# antipatterns that may refer to a group ("\1", "(?P=", "(?(": their numbers would move) or
# carry flags.
ANTIPATTERNS = Regexes("antipatterns")
_REFERS = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


def _blockers(rule: Rule) -> tuple[re.Pattern[str], ...]:
    """What `_blocked` searches for `rule`: its antipatterns as one regex, or each of them."""
    aps = rule.antipatterns
    if len(aps) < 2 or any(p.flags != re.UNICODE or _REFERS.search(p.pattern) for p in aps):
        return aps
    try:
        return (ANTIPATTERNS.compile("|".join(f"(?:{p.pattern})" for p in aps)),)
    except re.error:  # a group name two of them use
        return aps


def literal_mask(rules: RuleSet, text: str) -> int:
    """The (rule, pattern) pairs worth running on `text`, as bits (bit i: `rules.pairs[i]`), from
    one literal scan: every occurrence of every literal, overlapping ones included, adds the
    pairs it lets run; and `rules.cue_bit` when a cue word of `rule_set` is in `text`."""
    mask = rules.always_mask
    if rules.scan is not None:
        for _, bits in rules.scan.iter(text):
            mask |= bits
    return mask


@cache
def _window_literals(pattern: str) -> re.Pattern[str]:
    """A regex of the literals every match of `pattern` holds, cut at `_WINDOW_CUT` characters
    (the scan's are cut at twelve), compiled on first use: only long texts need one. Windows
    are built around these, so a text full of the scan's twelve characters alone costs none."""
    lits = required_literals(pattern, cut=_WINDOW_CUT, short=True)
    assert lits is not None  # the scan's literals are known, so these are
    return trie_regex(set(lits))


def _reach(tree: Any, lits: frozenset[str] | None) -> int | None:
    """Longest match plus longest literal: how far a match can lie from a literal it holds.

    `tree` is the pattern parsed by `re._parser.parse`."""
    if lits is None:
        return None
    width = tree.getwidth()[1]
    if width >= sre.MAXREPEAT or width > 1000:
        return None
    return int(width) + max(len(w) for w in lits)


def _windowed(
    pattern: re.Pattern[str], lits: re.Pattern[str], reach: int, text: str
) -> Iterator[re.Match[str]]:
    """Matches of `pattern` in `text`, scanning only the windows around its literals.

    A match holds one of the literals and is at most `reach` wide around it, so it lies inside
    that literal's window. The scan may read `_SLACK` past a window so lookaheads and "$" see
    the real text; a match ending past the window is left to the window that holds it. Windows
    are built as the literals come, so a caller that stops early stops the scan too; once a
    merged window grows past `_DENSE` the literals are dense, and the rest of the text is
    scanned at once instead of hit by hit.
    """
    n = len(text)
    lo = hi = -1
    for m in lits.finditer(text):
        a, b = max(0, m.start() - reach), min(n, m.end() + reach)
        if lo >= 0 and a <= hi:
            hi = max(hi, b)
            if hi - lo > _DENSE:
                hi = n
                break
            continue
        if lo >= 0:
            yield from _scan(pattern, text, lo, hi)
        lo, hi = a, b
    if lo >= 0:
        yield from _scan(pattern, text, lo, hi)


def _scan(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """Matches of `pattern` that start at or after `lo` and end by `hi`."""
    n = len(text)
    for m in pattern.finditer(text, lo, n if hi >= n else min(n, hi + _SLACK)):
        if m.end() > hi:
            break
        yield m


def _excused(exceptions: re.Pattern[str], text: str, start: int, end: int) -> bool:
    """True when an exception phrase overlaps the match [start, end)."""
    lo, hi = max(0, start - _REACH), min(len(text), end + _REACH)
    return any(m.start() < end and start < m.end() for m in exceptions.finditer(text, lo, hi))


def _blocked(blockers: tuple[re.Pattern[str], ...], text: str, scope: tuple[int, int]) -> bool:
    """True when an antipattern (of `RuleSet.blockers`) matches inside `scope`."""
    return any(a.search(text, scope[0], scope[1]) for a in blockers)


def _plain(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, tuple[int, int]]]:
    """(start, end, match span) of the first `_MAX_MATCHES` matches of `pattern` in `text`.

    A plain loop: most runs find nothing, and islice, map and a comprehension cost more than the
    search itself then (about 2,800 instructions a run)."""
    found: list[tuple[int, int, tuple[int, int]]] = []
    for m in pattern.finditer(text):
        span = m.span()
        found.append((span[0], span[1], span))
        if len(found) == _MAX_MATCHES:
            break
    return found


def _spans(
    rule: Rule,
    chosen: list[int],
    literals: tuple[frozenset[str] | None, ...],
    reach: tuple[int | None, ...],
    text: str,
    lang: Lang,
) -> list[tuple[int, int, tuple[int, int]]]:
    """(start, end, match span) of each candidate the rule's type accepts."""
    out: list[tuple[int, int, tuple[int, int]]] = []
    if rule.type != "modal_subject" and len(text) <= _LONG:  # most lines: plain matches
        for pi in chosen:
            out += _plain(rule.patterns[pi], text)
        return out
    for pi in chosen:
        pattern, lits, wide = rule.patterns[pi], literals[pi], reach[pi]
        if lits is not None and wide is not None and len(text) > _LONG:
            matches: Iterator[re.Match[str]] = _windowed(
                pattern, _window_literals(pattern.pattern), wide, text
            )
        else:
            matches = pattern.finditer(text)
        for n, m in enumerate(matches):
            if n >= _MAX_MATCHES:
                break
            start, end = m.span()
            if rule.type == "modal_subject":
                group = "modal" if "modal" in pattern.groupindex else 0
                found = _BLAME[lang](text, m.start(group), m.end(group))
                if found is None:
                    continue
                start, end = min(start, found[0]), max(end, found[1])
            out.append((start, end, m.span()))
    return out


def run_rules(
    folded: Folded,
    rules: RuleSet,
    lang: Lang,
    register: Callable[[], Register],
    mask: int | None = None,
) -> list[Finding]:
    """Findings of `rules` on `folded`, sorted by start, overlapping ones of a category merged.

    `mask`: `literal_mask(rules, folded.text)`, when the caller has it already."""
    return worded(folded, rules, lang, register, matched(folded, rules, lang, mask))


def matched(
    folded: Folded, rules: RuleSet, lang: Lang, mask: int | None = None
) -> list[_Candidate]:
    """What `run_rules` finds before it words it: the candidates its findings are worded from
    (`worded`), merged. Apart so a batch matches all its lines before it words any."""
    text = folded.text
    if not rules.rules:
        return []
    # The pairs worth running, taken lowest bit first: rule by rule, each one's patterns in order.
    if mask is None:
        mask = literal_mask(rules, text)
    seen, mask = mask, mask & rules.pairs_mask
    if not mask:
        return []
    short = len(text) <= _LONG
    pairs, all_rules, requires = rules.pairs, rules.rules, rules.requires
    sentences: _Sentences | None = None
    # (start, end) in the original, the rule, and the folded span: findings are worded (the
    # explanation, a rewrite) only for the candidates that survive the merge.
    candidates: list[_Candidate] = []
    while mask:
        low = mask & -mask
        mask ^= low
        bit = low.bit_length() - 1
        need = requires[bit]
        if need and seen & need != need:
            continue  # an other literal set of the pattern is missing: no match
        ri, pi = pairs[bit]
        rule = all_rules[ri]
        if short and rule.type != "modal_subject":  # most lines: plain matches
            found = _plain(rule.patterns[pi], text)
        else:
            found = _spans(rule, [pi], rules.literals[ri], rules.reach[ri], text, lang)
        guard = rules.guards[ri]
        for start, end, match in found:
            if rule.antipatterns and seen & guard:
                if sentences is None:
                    sentences = _Sentences(text)
                if _blocked(rules.blockers[ri], text, sentences.around(*match)):
                    continue
            if rule.followed_by:  # what comes after it (rare: searched only for a match)
                if sentences is None:
                    sentences = _Sentences(text)
                if _blocked(rule.followed_by, text, sentences.after(match[1])):
                    continue
            if rule.exceptions is not None and _excused(rule.exceptions, text, start, end):
                continue
            s, e = folded.span(start, end)
            excerpt = folded.original[s:e]
            stripped = excerpt.strip()
            if not stripped:
                continue
            s += len(excerpt) - len(excerpt.lstrip())
            candidates.append((s, s + len(stripped), rule, ri, start, end))
    return _merged(candidates) if len(candidates) > 1 else candidates


def worded(
    folded: Folded,
    rules: RuleSet,
    lang: Lang,
    register: Callable[[], Register],
    kept: list[_Candidate],
) -> list[Finding]:
    """The findings of `matched`'s candidates, each with its explanation and rewrite."""
    if not kept:
        return []
    spans = [(start, end) for _, _, _, _, start, end in kept]
    return [
        _finding(
            rule,
            s,
            e,
            folded.original[s:e],
            _suggestion(rule, rules.worded[ri], folded, start, end, lang, register, spans),
        )
        for s, e, rule, ri, start, end in kept
    ]


def _finding(rule: Rule, start: int, end: int, excerpt: str, suggestion: str) -> Finding:
    """`Finding(...)` of `rule` at [start, end) of the original (`model.made`)."""
    return made(
        Finding,
        {
            "category": rule.category,
            "rule": rule.id,
            "start": start,
            "end": end,
            "excerpt": excerpt,
            "explanation": rule.explain(excerpt),
            "suggestion": suggestion,
            "tip": rule.tip,
        },
    )


def _merged(candidates: list[_Candidate]) -> list[_Candidate]:
    """`dedupe` on candidates (original start, end, rule, its index, folded start, end)."""
    return _first_of_overlaps(candidates, lambda c: (c[0], c[1], c[2].category))


def _suggestion(
    rule: Rule,
    worded: tuple[str | None, str | None],
    folded: Folded,
    start: int,
    end: int,
    lang: Lang,
    register: Callable[[], Register],
    spans: list[tuple[int, int]],
) -> str:
    """The rule's rewrite of the agent's own words when it has one that fits, else its pattern.

    `worded`: the rule's suggestion and lead when the register changes neither (`RuleSet.worded`);
    `spans`: the folded spans of the line's findings (this one's among them)."""
    suggestion, lead = worded
    if rule.rewrite is not None:
        if lead is None and rule.leads:
            lead = rule.lead_for(register())
        # Most lines have one finding, this one: no other to look for.
        others = () if len(spans) == 1 else tuple(s for s in spans if s != (start, end))
        own = rewrite(rule.rewrite, lang, Line(folded, start, end, lead, others))
        if own is not None:
            return own
    if suggestion is not None:  # one text for every register: no need to work it out
        return suggestion
    return rule.suggestion_for(register())


def dedupe(findings: list[Finding]) -> list[Finding]:
    """Sort by start (longer first); drop findings overlapping a kept one of their category."""
    return _first_of_overlaps(findings, lambda f: (f.start, f.end, f.category))


def _first_of_overlaps(items: list[T], span: Callable[[T], tuple[int, int, Category]]) -> list[T]:
    """Items by start (longer first), without those overlapping a kept one of their category."""
    kept: list[T] = []
    last_end: dict[Category, int] = {}
    spans = [(span(item), item) for item in items]
    for (start, end, category), item in sorted(spans, key=lambda p: (p[0][0], -p[0][1])):
        if start < last_end.get(category, -1):
            continue
        kept.append(item)
        last_end[category] = max(end, last_end.get(category, -1))
    return kept
