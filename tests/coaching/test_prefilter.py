"""The literal pre-filter: every match holds one of a pattern's literals, and the derived data
kept between runs (coaching.derived) is used only when it is the code's own, never wrong."""

from __future__ import annotations

import importlib
import marshal
import re
from pathlib import Path

import pytest

from coaching import derived
from coaching.engine import derive, rule_set
from coaching.normalize import fold
from coaching.prefilter import other_literals, required_literals, text_literals
from coaching.rules import RULES
from coaching.rules.loader import phrase_regex


def test_every_match_of_every_rule_example_holds_one_of_its_literals() -> None:
    checked = 0
    for rule in RULES:
        literals = [(p, required_literals(p.pattern)) for p in rule.patterns]  # once a pattern
        for line in rule.flag + rule.pass_:
            text = fold(line).text
            for p, lits in literals:
                for m in p.finditer(text):
                    assert lits is None or any(w in m.group() for w in lits), (rule.id, line)
                    checked += lits is not None
    assert checked > 500


def test_every_match_of_every_rule_example_holds_one_of_its_short_literals() -> None:
    checked = 0
    for rule in RULES:
        literals = [(p, required_literals(p.pattern, short=True)) for p in rule.patterns]
        for line in rule.flag + rule.pass_:
            text = fold(line).text
            for p, lits in literals:
                for m in p.finditer(text):
                    assert lits is None or any(w in m.group() for w in lits), (rule.id, line)
                    checked += lits is not None and min(map(len, lits)) < 3
    assert checked > 5  # the patterns with only short literals have flag examples too


def test_short_literals_only_when_there_is_no_longer_set() -> None:
    insult = r"(?:^|[.!?] {0,3})(?:hp|hpta|gonorrea)(?= responde)"
    assert required_literals(insult) is None
    assert required_literals(insult, short=True) == {"hp", "hpta", "gonorrea"}
    clap = r"\bque lindo, ya aprendio\b|👏\s?👏"
    assert required_literals(clap, short=True, cut=None) == {"que lindo, ya aprendio", "👏"}
    assert required_literals(r"\bse\b", short=True) == {"se"}
    assert required_literals(r"\bx\b", short=True) is None  # one ASCII letter: never
    # a longer set wins over a short one
    assert required_literals(r"\bno\b.{0,9}\bdeberia\b", short=True) == {"deberia"}


def test_a_fixed_body_repeated_is_held_as_its_copies() -> None:
    assert required_literals(r"(?:^|[.!?] )(?:ja){2,}[ ,]{0,3}(?:no|nop)\b") == {"jaja"}
    assert required_literals(r"\b(?:ha){3,}\b") == {"hahaha"}
    # two copies would be longer than _REPEAT_MAX: one copy is what every match holds
    assert required_literals(r"(?:abcdefg){2,}", cut=None) == {"abcdefg"}


def test_every_built_in_pattern_is_chosen_by_literals() -> None:
    """No pattern of the built-in rules runs on every line: each has literals (long, short or
    read by a lookahead) that the one literal scan looks for."""
    sets = importlib.import_module("coaching.analyze")._SETS
    for key, rules in sets.items():
        always = [rules.pairs[i] for i in range(len(rules.pairs)) if rules.always_mask >> i & 1]
        assert always == [], (key, [(rules.rules[r].id, p) for r, p in always])


def test_every_match_of_every_rule_example_holds_one_literal_of_each_other_set() -> None:
    checked = 0
    for rule in RULES:
        sets = [(p, other_literals(p.pattern)) for p in rule.patterns]
        for line in rule.flag + rule.pass_:
            text = fold(line).text
            for p, others in sets:
                for m in p.finditer(text):
                    for lits in others:
                        assert any(w in m.group() for w in lits), (rule.id, line, sorted(lits))
                        checked += 1
    assert checked > 300


def test_other_sets_are_cut_bounded_and_never_the_required_one() -> None:
    pattern = r"\b(?:usted|tu) no [a-z]{2,20} (?:el|la) (?:correo|mensaje)\b"
    best = required_literals(pattern, cut=6)
    others = other_literals(pattern, cut=6)
    assert best is not None and others
    assert best not in others and all(max(map(len, o)) <= 6 for o in others)
    assert other_literals(pattern, cut=6, most=1) == others[:1]
    assert other_literals(pattern, cut=6, largest=1) == []


def test_every_text_a_rule_example_matches_in_holds_one_of_its_text_literals() -> None:
    checked = 0
    for rule in RULES:
        sets = [(p, text_literals(p.pattern)) for p in rule.patterns]
        for line in rule.flag + rule.pass_:
            text = fold(line).text
            for p, lits in sets:
                if lits is not None and p.search(text):
                    assert any(w in text for w in lits), (rule.id, line)
                    checked += 1
    assert checked > 500


def test_text_literals_read_lookaheads_and_short_literals_outside_ascii() -> None:
    pattern = r"(?:ya )?se(?= lo (?:molesto|frustrante))"
    assert required_literals(pattern) is None  # "se" alone is too short to choose by
    assert text_literals(pattern, cut=None) == {
        "se lo molesto",
        "se lo frustrante",
        "ya se lo molesto",
        "ya se lo frustrante",
    }
    assert required_literals("🙄") is None and text_literals("🙄") == {"🙄"}
    assert text_literals(r"\bse\b") is None  # short and ASCII: not worth a literal
    assert text_literals(r"hola(?! mundo)") == {"hola"}  # what a negative lookahead reads is not


def test_an_alternation_of_phrases_with_gaps_still_has_literals() -> None:
    # Each branch is "word[ \t]{1,3}word…": not fixed as a whole, but every branch holds a word.
    pattern = phrase_regex(("no te pongas nervioso", "tranquilicense", "no se altere"))
    lits = required_literals(pattern)
    assert lits is not None
    for text in ("bueno, no te  pongas nervioso", "tranquilicense ya", "no se altere, por favor"):
        m = re.search(pattern, text)
        assert m is not None and any(w in m.group() for w in lits)


def test_an_optional_group_is_never_required_alone() -> None:
    # "(?:deberia )?" may match nothing: a line with only "leer" must still be selected.
    lits = required_literals(r"\b(?:deberia )?leer(?:lo)?\b")
    assert lits is not None and "leer" in lits
    assert required_literals(r"\b(?:deberia )?(?:leer|mirar)\b") == frozenset(
        {"deberia ", "leer", "mirar"}
    )


def test_no_phrase_list_rule_runs_on_every_line() -> None:
    tokens = [r for r in RULES if r.type == "tokens"]
    assert tokens
    for rule in tokens:
        assert rule_set([rule]).always == frozenset(), rule.id


def test_cached_data_equals_what_is_derived(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALMA_CACHE_DIR", str(tmp_path))
    patterns = [p.pattern for r in RULES for p in r.patterns]
    first = derived.derived(patterns, derive)
    [written] = tmp_path.glob("patterns-*.marshal")
    calls: list[str] = []

    def counting(p: str) -> derived.Derived:
        calls.append(p)
        return derive(p)

    again = derived.derived(patterns, counting)
    assert again == first == {p: derive(p) for p in patterns}
    assert calls == []  # all read from the file
    derived.derived([*patterns, r"\bnueva regla\b"], counting)
    assert calls == [r"\bnueva regla\b"]
    assert r"\bnueva regla\b" in marshal.loads(written.read_bytes())


def test_a_wrong_or_broken_cache_file_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALMA_CACHE_DIR", str(tmp_path))
    pattern = r"\bdeberia haber\b"
    derived.derived([pattern], derive)
    [path] = tmp_path.glob("patterns-*.marshal")
    path.write_bytes(marshal.dumps({pattern: ((1, 2), "far")}))  # wrong shapes
    assert derived.derived([pattern], derive) == {pattern: derive(pattern)}
    path.write_bytes(b"\x00garbage")
    assert derived.derived([pattern], derive) == {pattern: derive(pattern)}


def test_the_cache_file_is_named_by_the_code_that_derives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALMA_CACHE_DIR", str(tmp_path))
    name = derived._path().name
    monkeypatch.setattr(derived, "_SOURCES", ("prefilter.py",))  # different code, other file
    assert derived._path().name != name


def test_kept_code_is_named_by_the_code_that_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Code kept by an edited first_chars.py (a broken one: it once left a wrong start set in
    # the shared cache folder) must not be read by another version.
    monkeypatch.setenv("CALMA_CACHE_DIR", str(tmp_path))
    name = derived._code_path("rules").name
    monkeypatch.setattr(derived, "_CODE_SOURCES", ("prefilter.py",))  # other code, other file
    assert derived._code_path("rules").name != name


@pytest.mark.usefixtures("unwritable_cache")
def test_an_unwritable_cache_folder_changes_nothing() -> None:
    pattern = r"\bcalmese\b"
    assert derived.derived([pattern], derive) == {pattern: derive(pattern)}


def test_regexes_from_kept_code_equal_a_fresh_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALMA_CACHE_DIR", str(tmp_path))
    patterns = [p.pattern for r in RULES for p in r.patterns + r.antipatterns]
    first = derived.Regexes("rules")
    built = [first.compile(p) for p in patterns]
    first.save()
    again = derived.Regexes("rules")
    assert again.codes  # read back from the file
    for p, a in zip(patterns, built, strict=True):
        b = again.compile(p)
        assert a == b and _like_re(b, re.compile(p)), p
    assert not again.dirty  # nothing compiled afresh


def _like_re(ours: re.Pattern[str], theirs: re.Pattern[str]) -> bool:
    """The same regex as `re` compiles, but for the start characters `first_chars` may add to
    its code (tests/coaching/test_first_chars.py checks that they change no match)."""
    return (ours.pattern, ours.flags, ours.groups, ours.groupindex) == (
        theirs.pattern,
        theirs.flags,
        theirs.groups,
        theirs.groupindex,
    )


def test_code_that_re_refuses_is_compiled_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALMA_CACHE_DIR", str(tmp_path))
    pattern = r"\b(?P<verb>deberia) haber\b"
    kept = derived.Regexes("rules")
    kept.codes[pattern] = (32, [1, 2, 3, 999], 1, {"verb": 1}, (None, "verb"))  # invalid code
    compiled = kept.compile(pattern)
    assert compiled == derived.Regexes("other").compile(pattern)  # as compiled without a file
    assert compiled.search("usted deberia haber leido")["verb"] == "deberia"


def test_module_regexes_with_flags_from_kept_code_equal_a_fresh_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALMA_CACHE_DIR", str(tmp_path))
    cases = [(r"\b(?:mirá|fijá)\b", re.IGNORECASE), (r"^[ \t]*>[^\n]*", re.MULTILINE), (r"a+", 0)]
    first = derived.Regexes("modules")
    built = [first.compile(p, f) for p, f in cases]
    first.save()
    again = derived.Regexes("modules")
    for (p, f), a in zip(cases, built, strict=True):
        b = again.compile(p, f)
        assert a == b and _like_re(b, re.compile(p, f)), p
    assert not again.dirty  # all read back, flags included
    assert again.compile("MIRÁ", re.IGNORECASE).search("mirá") is not None


def test_kept_yaml_is_what_the_parser_gives_and_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    from coaching import lexicon

    monkeypatch.setenv("CALMA_CACHE_DIR", str(tmp_path))
    text = "- id: a\n  tip: 3\n  patterns: ['\\\\bx\\\\b']\n- {n: 1.5, ok: true, none: null}\n"
    first = lexicon.parse(text)
    assert first == yaml.safe_load(text)

    def refuse(_text: str) -> object:
        raise AssertionError("parsed again")

    monkeypatch.setattr(lexicon, "_parsed", refuse)
    assert lexicon.parse(text) == first
    with pytest.raises(AssertionError):
        lexicon.parse(text + "- other\n")  # a changed text is parsed afresh


def test_leading_pattern_is_true_wherever_a_match_starts() -> None:
    from coaching.prefilter import leading_pattern

    assert leading_pattern(r"\bfoo|bar") == "(?=(?:bar|foo))"
    assert leading_pattern(r"(?:el\s+)?lunes|\d{1,2}:\d\d") == r"(?=(?:el\s|lune)|\d)"
    assert leading_pattern(r"a\s+las|al\s+rato") == r"(?=a(?:\s|l\s))"  # "atenta" fails at "t"
    assert leading_pattern(r"(?:\w+\s+)?ago") is None  # may start at any word
    assert leading_pattern(r"x*") is None  # may match the empty string
    assert leading_pattern(r"(?i)foo") is None


def test_led_time_and_verb_patterns_find_what_the_plain_ones_find() -> None:
    import json

    from coaching import followup_times as ft
    from coaching import followup_verbs as fv

    lines = [
        str(json.loads(raw).get("text", ""))
        for name in ("followups1.jsonl", "followups2.jsonl", "realistic.jsonl")
        for raw in (Path(__file__).parent / "data" / name).read_text("utf-8").splitlines()
        if raw.strip()
    ]
    lines += [line for rule in RULES for line in (*rule.flag, *rule.pass_)]
    assert len(lines) > 500
    found = 0
    pairs = [(ft._ES_ALL, ft._ES), (ft._EN_ALL, ft._EN), (fv._ES_ALL, fv._ES), (fv._EN_ALL, fv._EN)]
    for plain, gated in pairs:
        assert gated.pattern != r"(?=\w)" + plain or plain is ft._EN_ALL  # a lookahead was put
        plain_re = re.compile(r"(?=\w)" + plain)
        for line in lines:
            text = fold(line).text
            want = [m.span() for m in plain_re.finditer(text)]
            assert [m.span() for m in gated.finditer(text)] == want, line
            found += len(want)
    assert found > 600
