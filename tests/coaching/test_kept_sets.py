"""The built-in rule sets kept between runs (coaching/kept_sets.py): read back equal to what
`rule_set` builds, built again when anything they are made from changes, and a broken file is
ignored."""

from __future__ import annotations

import dataclasses
import marshal
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ahocorasick
import pytest

from coaching import kept_sets
from coaching.derived import Derived
from coaching.engine import RuleSet, rule_set
from coaching.followup_verbs import STEMS
from coaching.rules import RULES, Rule

CUE = STEMS["es"]


def _specs(rules: tuple[Rule, ...] = RULES) -> dict[tuple[str, str], kept_sets.Spec]:
    """Two sets: Spanish agents' rules with a cue, English customers' without."""
    return {
        ("agent", "es"): ([r for r in rules if r.lang == "es" and r.category != "abuse"], CUE),
        ("customer", "en"): ([r for r in rules if r.lang == "en" and r.category == "abuse"], ()),
    }


class Known:
    """The patterns' derived data, counting how often it is asked for."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> Mapping[str, Derived]:
        self.calls += 1
        return {}  # `rule_set` derives what is not given


def _state(s: RuleSet) -> dict[str, Any]:
    """Every field of a set, comparable: the automaton by its words and values, the blockers by
    their regexes' text and flags."""
    out = {f.name: getattr(s, f.name) for f in dataclasses.fields(s)}
    out["scan"] = None if s.scan is None else sorted(s.scan.items())
    out["blockers"] = [[(b.pattern, b.flags) for b in per] for per in s.blockers]
    return out


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CALMA_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_kept_sets_equal_what_rule_set_builds_and_are_read_back(cache: Path) -> None:
    specs = _specs()
    known = Known()
    first = kept_sets.rule_sets(specs, known)
    assert known.calls == 1  # built, and written
    [path] = cache.glob("rulesets-*.marshal")
    again = kept_sets.rule_sets(specs, known)
    assert known.calls == 1  # read from the file
    for k, (rules, cue) in specs.items():
        fresh = rule_set(rules, {}, cue)
        assert _state(again[k]) == _state(first[k]) == _state(fresh), k
        assert again[k].rules == tuple(rules)
    text = "usted debería haber leído el correo, idiota, obviamente"
    for k in specs:
        assert list(again[k].scan.iter(text)) == list(first[k].scan.iter(text))
    assert path.stat().st_size > 0


def _edited(rule: Rule, **changes: Any) -> tuple[Rule, ...]:
    return tuple(dataclasses.replace(r, **changes) if r is rule else r for r in RULES)


def test_any_change_to_what_the_sets_are_built_from_changes_the_key() -> None:
    import re

    rule = next(r for r in RULES if r.lang == "es" and r.antipatterns and r.category != "abuse")
    base = kept_sets.key(_specs())
    assert kept_sets.key(_specs()) == base  # the same inputs, the same key
    edits = [
        _edited(rule, patterns=(*rule.patterns, re.compile(r"\bnueva regla\b"))),
        _edited(rule, patterns=(re.compile(rule.patterns[0].pattern, re.I), *rule.patterns[1:])),
        _edited(rule, antipatterns=rule.antipatterns[1:]),
        _edited(rule, suggestions=(("any", "Otra sugerencia."),)),
        _edited(rule, leads=(("any", "Otra"),)),
        _edited(rule, id=rule.id + "-2"),
    ]
    keys = {kept_sets.key(_specs(rules)) for rules in edits}
    assert base not in keys and len(keys) == len(edits)
    specs = _specs()
    specs[("agent", "es")] = (specs[("agent", "es")][0], CUE[1:])  # another cue
    assert kept_sets.key(specs) != base


def test_the_key_holds_the_code_that_builds_the_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    base = kept_sets.key(_specs())
    monkeypatch.setattr(kept_sets, "_SOURCES", ("engine.py",))
    assert kept_sets.key(_specs()) != base


def test_a_changed_rule_is_built_again_not_read_from_the_kept_file(cache: Path) -> None:
    import re

    kept_sets.rule_sets(_specs(), Known())
    rule = next(r for r in RULES if r.lang == "es" and r.category == "judgement")
    edited = _edited(rule, patterns=(re.compile(r"\bnueva regla\b"), *rule.patterns))
    known = Known()
    sets = kept_sets.rule_sets(_specs(edited), known)
    assert known.calls == 1
    assert sets[("agent", "es")].scan.exists("nueva regla")
    assert _state(sets[("agent", "es")]) == _state(
        rule_set(_specs(edited)[("agent", "es")][0], {}, CUE)
    )


@pytest.mark.parametrize(
    "content",
    [
        b"\x00garbage",
        marshal.dumps({"value": [1, 2]}),
        marshal.dumps(
            {"value": [(("agent", "es"), {}, None, []), (("customer", "en"), {}, None, [])]}
        ),
        marshal.dumps({"other": 1}),
    ],
)
def test_a_broken_or_wrong_file_is_ignored_and_rewritten(cache: Path, content: bytes) -> None:
    specs = _specs()
    first = kept_sets.rule_sets(specs, Known())
    [path] = cache.glob("rulesets-*.marshal")
    path.write_bytes(content)
    known = Known()
    again = kept_sets.rule_sets(specs, known)
    assert known.calls == 1  # built afresh
    assert {k: _state(s) for k, s in again.items()} == {k: _state(s) for k, s in first.items()}
    assert path.read_bytes() != content  # rewritten: the next run reads it
    kept_sets.rule_sets(specs, known)
    assert known.calls == 1


@pytest.mark.usefixtures("unwritable_cache")
def test_an_unwritable_cache_folder_changes_nothing() -> None:
    specs = _specs()
    sets = kept_sets.rule_sets(specs, Known())
    for k, (rules, cue) in specs.items():
        assert _state(sets[k]) == _state(rule_set(rules, {}, cue))


def test_a_damaged_automaton_state_is_refused_not_loaded() -> None:
    """ahocorasick trusts the state it is given: one changed byte of its nodes makes another
    automaton, silently (others crash the process). The kept state's checksum refuses it."""
    scan = ahocorasick.Automaton()
    scan.add_word("ab", 1 << 70)
    scan.make_automaton()
    state = kept_sets._scan_state(scan)
    assert state is not None
    assert sorted(kept_sets._automaton(state).items()) == sorted(scan.items())
    head, check, distinct, index = state
    nodes = head[0][0]
    at = nodes.index(b"b\x00\x00\x00")  # the letter of the edge a -> b
    damaged_head = ([nodes[:at] + b"c" + nodes[at + 1 :]], *head[1:])
    wrong = ahocorasick.Automaton(*damaged_head, [distinct[i] for i in index])
    assert not wrong.exists("ab") and wrong.exists("ac")  # what ahocorasick alone would load
    with pytest.raises(ValueError):
        kept_sets._automaton((damaged_head, check, distinct, index))


def test_a_kept_blocker_that_does_not_compile_is_built_again(cache: Path) -> None:
    specs = _specs()
    first = kept_sets.rule_sets(specs, Known())
    [path] = cache.glob("rulesets-*.marshal")
    data = marshal.loads(path.read_bytes())
    refs = data["value"][0][3]
    at = next(i for i, per in enumerate(refs) if any(isinstance(r, str) for r in per))
    refs[at] = ("(unclosed",)  # re.error when compiled again
    path.write_bytes(marshal.dumps(data))
    known = Known()
    again = kept_sets.rule_sets(specs, known)
    assert known.calls == 1
    assert {k: _state(s) for k, s in again.items()} == {k: _state(s) for k, s in first.items()}
