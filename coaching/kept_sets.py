"""The built-in rule sets, kept between runs like the rest of coaching/derived.py.

Building the four sets (`engine.rule_set`: every pattern's literals and their bit masks, about
34,000 `add_word` calls and `make_automaton`) was the largest part of `calma analyze`'s start-up
once the rules were loaded; reading them back is about a third of that. The file is named by a
hash of everything the sets are built from: each rule's patterns and antipatterns (text and
flags) and its worded suggestions and leads, the cue words, the code that builds them
(engine.py, prefilter.py, derived.py, this file, rules/loader.py) and the installed ahocorasick
module (its automaton's state is what is kept). Any change makes another file, built afresh; a
file that cannot be read, or whose data does not fit, is ignored (coaching/derived.py).

What is kept of a set: its plain fields as they are; its automaton as the state it pickles to,
with a checksum (damaged nodes would crash ahocorasick, not raise), each distinct bit mask
written once (a mask is a ~1,000-bit int shared by many words); its blockers as the index of
the antipattern each one is, or the text of the joined regex, compiled again through
`engine.ANTIPATTERNS` (compiled code kept too).
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

import ahocorasick

from coaching.derived import Derived, kept_as
from coaching.engine import ANTIPATTERNS, RuleSet, rule_set
from coaching.rules import Rule

K = TypeVar("K", bound=Hashable)
# What a set is built from: its rules and its cue words (`engine.rule_set`).
Spec = tuple[Sequence[Rule], Sequence[str]]

_HERE = Path(__file__).parent
_SOURCES = ("engine.py", "prefilter.py", "derived.py", "kept_sets.py", "rules/loader.py")
# Fields not kept as they are: given again (rules), or rebuilt from what is kept (scan, blockers).
_REBUILT = frozenset({"rules", "scan", "blockers"})


def rule_sets(
    specs: Mapping[K, Spec], known: Callable[[], Mapping[str, Derived]]
) -> dict[K, RuleSet]:
    """`engine.rule_set(rules, known(), cue)` for every spec, read from the kept file when its
    key holds (then `known`, the patterns' derived data, is not needed and not called)."""

    def build() -> dict[K, RuleSet]:
        derived = known()
        return {k: rule_set(rules, derived, cue) for k, (rules, cue) in specs.items()}

    def load(data: Any) -> dict[K, RuleSet]:
        return _loaded(data, specs)

    return kept_as("rulesets", key(specs), build, _dumped, load)


def key(specs: Mapping[K, Spec]) -> str:
    """Everything the sets are built from, as one text (hashed into the file's name)."""
    parts = [_module_stamp(ahocorasick.__file__)]
    parts += [(_HERE / name).read_text(encoding="utf-8") for name in _SOURCES]
    for k, (rules, cue) in specs.items():
        parts += [repr(k), *_counted(cue)]
        for r in rules:
            parts += _rule_inputs(r)
    # Each text after its length: no two different lists of texts give the same key.
    return "".join(f"{len(p)}:{p}" for p in parts)


def _module_stamp(path: str | None) -> str:
    """Which build of a compiled module is installed: its path, size and time."""
    if path is None:
        return "none"
    st = os.stat(path)
    return f"{path}|{st.st_size}|{st.st_mtime_ns}"


def _counted(texts: Sequence[str]) -> list[str]:
    return [str(len(texts)), *texts]


def _rule_inputs(rule: Rule) -> list[str]:
    """What `rule_set` reads of a rule, as texts (not `repr`: about 3 ms for all the rules)."""
    parts = [rule.id]
    for regexes in (rule.patterns, rule.antipatterns):
        parts += _counted([f"{p.flags}|{p.pattern}" for p in regexes])
    for worded in (rule.suggestions, rule.leads):
        parts += _counted([text for pair in worded for text in pair])
    return parts


def _dumped(sets: Mapping[K, RuleSet]) -> list[Any]:
    """What marshal writes of `sets`, in their order (ValueError: a set it cannot keep)."""
    return [(k, _plain_fields(s), _scan_state(s.scan), _blocker_refs(s)) for k, s in sets.items()]


def _plain_fields(s: RuleSet) -> dict[str, Any]:
    return {f.name: getattr(s, f.name) for f in fields(s) if f.name not in _REBUILT}


def _scan_state(scan: Any) -> tuple[tuple[Any, ...], int, list[Any], list[int]] | None:
    """The automaton's pickled state, with its checksum, and its values (the last item) as
    distinct values and one index per word."""
    if scan is None:
        return None
    cls, state = scan.__reduce__()
    if cls is not ahocorasick.Automaton or not isinstance(state[-1], list):
        raise ValueError("not an automaton state this module knows")
    *head, values = state
    distinct: dict[Any, int] = {}
    index = [distinct.setdefault(v, len(distinct)) for v in values]
    return tuple(head), _checksum(tuple(head)), list(distinct), index


def _checksum(head: tuple[Any, ...]) -> int:
    """CRC-32 of an automaton's state: its nodes (bytes) and counts. ahocorasick trusts the
    state it is given, and damaged nodes crash the process (tried: a few bytes changed at
    random), so a kept state is checked first (0.7 ms for the 4.2 MB of the four sets)."""
    nodes, *counts = head
    if not isinstance(nodes, list) or not all(isinstance(n, bytes) for n in nodes):
        raise ValueError("not an automaton's nodes")
    if not all(type(c) is int for c in counts):
        raise ValueError("not an automaton's counts")
    crc = zlib.crc32(repr(counts).encode())
    for chunk in nodes:
        crc = zlib.crc32(chunk, crc)
    return crc


def _automaton(state: Any) -> Any:
    if state is None:
        return None
    head, check, distinct, index = state
    if _checksum(head) != check:
        raise ValueError("a damaged automaton")
    return ahocorasick.Automaton(*head, [distinct[i] for i in index])


def _blocker_refs(s: RuleSet) -> list[tuple[int | str, ...]]:
    """Per rule: each blocker as the index of the antipattern it is, or its regex's text."""
    out: list[tuple[int | str, ...]] = []
    for rule, blockers in zip(s.rules, s.blockers, strict=True):
        refs: list[int | str] = []
        for b in blockers:
            same = [i for i, ap in enumerate(rule.antipatterns) if ap is b]
            if same:
                refs.append(same[0])
            elif b.flags == re.UNICODE:  # compiled from its text alone: compiled again so
                refs.append(b.pattern)
            else:
                raise ValueError(f"a blocker of {rule.id} cannot be compiled again")
        out.append(tuple(refs))
    return out


def _blockers(rules: Sequence[Rule], refs: Any) -> tuple[tuple[re.Pattern[str], ...], ...]:
    return tuple(
        tuple(
            r.antipatterns[ref] if isinstance(ref, int) else ANTIPATTERNS.compile(ref)
            for ref in per
        )
        for r, per in zip(rules, refs, strict=True)
    )


def _loaded(data: Any, specs: Mapping[K, Spec]) -> dict[K, RuleSet]:
    """The sets back from what `_dumped` wrote (ValueError, TypeError, LookupError: it did not)."""
    if not isinstance(data, list) or len(data) != len(specs):
        raise ValueError("not the kept sets of these specs")
    plain = {f.name for f in fields(RuleSet)} - _REBUILT
    out: dict[K, RuleSet] = {}
    for (k, (rules, _)), (kept_k, values, state, refs) in zip(specs.items(), data, strict=True):
        if kept_k != k or not isinstance(values, dict) or set(values) != plain:
            raise ValueError("not the kept sets of these specs")
        out[k] = RuleSet(
            rules=tuple(rules), scan=_automaton(state), blockers=_blockers(rules, refs), **values
        )
    return out
