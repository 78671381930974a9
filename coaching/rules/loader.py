"""Read and validate the rule YAML files into frozen `Rule` values."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast, get_args

from coaching.derived import Regexes, compiled, kept_as
from coaching.lexicon import parse
from coaching.model import CATEGORIES, Category, Lang, Register
from coaching.normalize import fold
from coaching.prefilter import leading_pattern
from coaching.rewrite import NEEDS_LEAD, REWRITERS

RuleType = Literal["pattern", "modal_subject", "tokens"]
_TYPES: tuple[str, ...] = get_args(RuleType)
_REGISTERS: tuple[Register, ...] = ("usted", "tu", "vos")
# Optional in a suggestion mapping: derived from the tú form when a rule gives none.
_OPTIONAL: tuple[Register, ...] = ("vosotros",)

# A word is at most 30 characters; gaps allow a bounded number of words, so matching stays linear.
_WORD = r"[^\s.,;:!?()\"]{1,30}"
MACROS = {
    "@GAP6": rf"(?:{_WORD}[ \t,]{{1,3}}){{0,6}}",
    "@GAP": rf"(?:{_WORD}[ \t]{{1,3}}){{0,3}}",
    # A sentence ends at a stop, a line end, an emoji or a laugh ("no tiene ciencia jeje").
    "@END": (
        r"(?=[ \t]{0,3}(?:$|[.,;:!?)\n]|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
        r"|(?:jaja|jeje|jiji|haha|lol|jsjs)))"
    ),
}
# A flag example marks the words its rule must report: "Usted [[debería haber leído]] el correo".
_MARK = compiled(r"\[\[(.+?)\]\]")


def expand(pattern: str, macros: dict[str, str] | None = None) -> str:
    """Replace the file's own macros, then the gap macros, in `pattern` by their regex."""
    for table in (macros or {}, MACROS):
        for name in sorted(table, key=len, reverse=True):
            pattern = pattern.replace(name, table[name])
    return pattern


@dataclass(frozen=True)
class Rule:
    """One wording rule with its compiled patterns and its own examples."""

    id: str
    category: Category
    lang: Lang
    type: RuleType
    patterns: tuple[re.Pattern[str], ...]
    antipatterns: tuple[re.Pattern[str], ...]
    explanation: str
    suggestions: tuple[tuple[str, str], ...]
    tip: int
    flag: tuple[str, ...]
    pass_: tuple[str, ...]
    source: str
    # Phrases that excuse a match they overlap ("que te den una tarjeta" for "que te den").
    exceptions: re.Pattern[str] | None = None
    # Per flag example, the marked span [start, end) the rule must report (None: unmarked).
    marks: tuple[tuple[int, int] | None, ...] = ()
    # A rewriter of the agent's own sentence (coaching/rewrite.py), tried before the suggestion.
    rewrite: str | None = None
    # The words of the excerpt the explanation names as {word} ("pero", "sin embargo"), folded.
    names: re.Pattern[str] | None = None
    # What the rewriter puts in place of the flagged words, per form of address (see `rewrite`).
    leads: tuple[tuple[str, str], ...] = ()
    # Excuse a match when one of these comes after it, in the rest of its sentence or the next
    # one: an honest limit followed by what the agent does ("No lo decido yo. Ya le envié…").
    followed_by: tuple[re.Pattern[str], ...] = ()

    def explain(self, excerpt: str) -> str:
        """The explanation, naming the excerpt's own word where it says {word}."""
        if self.names is None or "{word}" not in self.explanation:
            return self.explanation
        return self.explanation.replace("{word}", _named_word(self.names, excerpt))

    def suggestion_for(self, register: Register) -> str:
        """The suggested rephrasing in the message's form of address (first one as fallback)."""
        return _worded(self.suggestions, register)

    def lead_for(self, register: Register) -> str:
        """The rewriter's lead in the message's form of address (first one as fallback)."""
        return _worded(self.leads, register)


# Kept per excerpt: finding the word folds the excerpt (most of a finding's wording), and the
# excerpts these rules flag recur ("Entiendo, pero", "I understand, but").
@lru_cache(maxsize=4096)
def _named_word(names: re.Pattern[str], excerpt: str) -> str:
    """The last word of `excerpt` that `names` finds, as written but lower-cased; without
    one, the excerpt's last word."""
    folded = fold(excerpt)
    found = list(names.finditer(folded.text))
    if found:
        s, e = folded.span(*found[-1].span())
        return excerpt[s:e].lower()
    return excerpt.split()[-1].lower() if excerpt.split() else ""


def _worded(table: tuple[tuple[str, str], ...], register: Register) -> str:
    """The text of `table` (register, text) for `register`; vosotros from tú when not given."""
    for key, text in table:
        if key == register:
            return text
    if register == "vosotros":
        for key, text in table:
            if key == "tu":
                return vosotros_from_tu(text)
    return table[0][1]


def _strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: {key} must be a list of strings")
    return tuple(value)


def _suggestions(
    value: Any, where: str, key_name: str = "suggestion"
) -> tuple[tuple[str, str], ...]:
    if isinstance(value, str) and value.strip():
        return (("any", value.strip()),)
    if isinstance(value, dict) and value:
        out = []
        for key in _REGISTERS:
            text = value.get(key)
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{where}: {key_name} needs usted, tu and vos")
            out.append((key, text.strip()))
        for key in _OPTIONAL:
            text = value.get(key)
            if text is None:
                continue
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{where}: {key_name} {key} must be a text")
            out.append((key, text.strip()))
        unknown = set(value) - set(_REGISTERS) - set(_OPTIONAL)
        if unknown:
            raise ValueError(f"{where}: unknown register in {key_name}: {sorted(unknown)}")
        return tuple(out)
    raise ValueError(f"{where}: {key_name} must be a string or a usted/tu/vos mapping")


# tú -> vosotros, word by word, for suggestions that give no vosotros form.
_TU_TO_VOSOTROS = {
    "te": "os",
    "tu": "vuestro",
    "tus": "vuestros",
    "tuyo": "vuestro",
    "tienes": "tenéis",
    "tengas": "tengáis",
    "estés": "estéis",
    "estás": "estáis",
    "puedes": "podéis",
    "quieres": "queréis",
    "has": "habéis",
    "necesitas": "necesitáis",
}
_WORDS = compiled(r"[^\W\d_]+")


def vosotros_from_tu(text: str) -> str:
    """The tú suggestion addressed to vosotros ("te lo explico" -> "os lo explico")."""

    def swap(m: re.Match[str]) -> str:
        word = m.group()
        new = _TU_TO_VOSOTROS.get(word.lower())
        if new is None:
            return word
        return new.capitalize() if word[0].isupper() else new

    return _WORDS.sub(swap, text.replace("estés molesto", "estéis molestos"))


def phrase_regex(phrases: tuple[str, ...]) -> str:
    """One alternation of literal phrases, folded like the text and matched as whole words."""
    folded = {" ".join(fold(p).text.split()) for p in phrases}
    folded.discard("")
    alts = sorted(folded, key=lambda p: (-len(p), p))
    body = "|".join(r"[ \t]{1,3}".join(re.escape(w) for w in p.split()) for p in alts)
    return rf"(?<![\w'])(?:{body})(?![\w'])"


def _marked(lines: tuple[str, ...], where: str) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """Flag examples without their [[markers]], and the marked span of each (or None)."""
    texts: list[str] = []
    marks: list[tuple[int, int] | None] = []
    for line in lines:
        found = list(_MARK.finditer(line))
        if len(found) > 1:
            raise ValueError(f"{where}: at most one [[marked]] span per flag example: {line!r}")
        if not found:
            texts.append(line)
            marks.append(None)
            continue
        m = found[0]
        texts.append(line[: m.start()] + m.group(1) + line[m.end() :])
        marks.append((m.start(), m.start() + len(m.group(1))))
    return tuple(texts), tuple(marks)


def _compile(
    patterns: tuple[str, ...], where: str, macros: dict[str, str], regexes: Regexes | None = None
) -> tuple[re.Pattern[str], ...]:
    build = re.compile if regexes is None else regexes.compile
    try:
        return tuple(build(expand(p, macros)) for p in patterns)
    except re.error as exc:
        raise ValueError(f"{where}: bad regex: {exc}") from exc


def _macros(entry: dict[str, Any], source: str) -> dict[str, str]:
    """A file's `- macros: {NAME: regex}` entry, as `@NAME` -> regex (`_led`)."""
    table = entry["macros"]
    if not isinstance(table, dict) or not all(
        isinstance(k, str) and k.isupper() and isinstance(v, str) for k, v in table.items()
    ):
        raise ValueError(f"{source}: macros must map UPPERCASE names to regex strings")
    return {f"@{k}": _led(v) for k, v in table.items()}


_MACRO_NAME = compiled(r"@[A-Z]")


def _led(body: str) -> str:
    """A macro's regex behind the lookahead of what its every match starts with
    (`prefilter.leading_pattern`), when that is known: `(?:LEAD(?:BODY))`. The matches are the
    same (the lookahead holds wherever the body can match), but a try of the macro where none
    of its first words stands fails after a few characters, where `re` walked every alternative
    of it. The generic-empathy patterns, each a whole message built of macros, tried their
    formula and filler macros at every word of a line that is more than a formula: 12 and 22 µs
    a line, 4.7 and 10.4 with the leads (the 2,480 lines of bench_floor that reach them)."""
    whole = expand(body)  # as a rule will hold it: the gap macros in it expanded
    if _MACRO_NAME.search(whole):  # another file macro inside: its text is not known here
        return body
    try:
        lead = leading_pattern(whole)
    except re.error:  # not a regex alone (a group named twice would be, in a rule)
        return body
    return f"(?:{lead}(?:{body}))" if lead else body


def _rule(
    entry: Any,
    category: Category,
    lang: Lang,
    source: str,
    macros: dict[str, str],
    regexes: Regexes | None = None,
) -> Rule:
    """One rule from its YAML entry; `regexes` (built-in rules) compiles from kept code."""
    if not isinstance(entry, dict):
        raise ValueError(f"{source}: every entry must be a mapping")
    rid = entry.get("id")
    where = f"{source}: {rid}"
    if not isinstance(rid, str) or not rid.startswith(f"{category}.{lang}."):
        raise ValueError(f"{where}: id must start with {category}.{lang}.")
    rtype = entry.get("type", "pattern")
    if rtype not in _TYPES:
        raise ValueError(f"{where}: unknown type {rtype!r}")
    tip = entry.get("tip")
    if not isinstance(tip, int) or not 1 <= tip <= 7:
        raise ValueError(f"{where}: tip must be 1..7")
    explanation = entry.get("explanation")
    if not isinstance(explanation, str) or not explanation.strip():
        raise ValueError(f"{where}: explanation missing")
    patterns = _strings(entry, "patterns", where)
    tokens = _strings(entry, "tokens", where)
    if (rtype == "tokens") != bool(tokens):
        raise ValueError(f"{where}: a tokens rule needs tokens, and only a tokens rule has them")
    if tokens:
        patterns = (phrase_regex(tokens), *patterns)
    if not patterns:
        raise ValueError(f"{where}: no patterns")
    exceptions = _strings(entry, "exceptions", where)
    build = re.compile if regexes is None else regexes.compile
    flag, marks = _marked(_strings(entry, "flag", where), where)
    return Rule(
        id=rid,
        category=category,
        lang=lang,
        type=cast(RuleType, rtype),
        patterns=_compile(patterns, where, macros, regexes),
        antipatterns=_compile(_strings(entry, "antipatterns", where), where, macros, regexes),
        explanation=explanation.strip(),
        suggestions=_suggestions(entry.get("suggestion"), where),
        tip=tip,
        flag=flag,
        pass_=_strings(entry, "pass", where),
        source=source,
        exceptions=build(phrase_regex(exceptions)) if exceptions else None,
        marks=marks,
        rewrite=_rewriter(entry, where),
        leads=_leads(entry, where),
        names=_compile((entry["names"],), where, macros, regexes)[0] if "names" in entry else None,
        followed_by=_compile(_strings(entry, "followed_by", where), where, macros, regexes),
    )


def _rewriter(entry: dict[str, Any], where: str) -> str | None:
    name = entry.get("rewrite")
    if name is None:
        return None
    if name not in REWRITERS:
        raise ValueError(f"{where}: unknown rewrite {name!r}")
    return str(name)


def _leads(entry: dict[str, Any], where: str) -> tuple[tuple[str, str], ...]:
    needed = entry.get("rewrite") in NEEDS_LEAD
    if "lead" not in entry:
        if needed:
            raise ValueError(f"{where}: rewrite {entry['rewrite']!r} needs a lead")
        return ()
    if not needed:
        raise ValueError(f"{where}: a lead is only for the rewrites {sorted(NEEDS_LEAD)}")
    return _suggestions(entry["lead"], where, "lead")


# What the rules are read with, besides their files: part of the key of the kept rules.
_SOURCES = (
    "rules/loader.py",
    "normalize.py",
    "spelling.py",
    "rewrite.py",
    "model.py",
    "derived.py",
    "prefilter.py",
    "lexicon/__init__.py",
)
_COACHING = Path(__file__).parent.parent
# Rule fields holding regexes, kept as their text: tuples of them, and one or None. Read off the
# fields' own annotations, so a new regex field is kept without being listed here too.
_REGEX_TUPLES = frozenset(f.name for f in fields(Rule) if f.type == "tuple[re.Pattern[str], ...]")
_REGEX_OR_NONE = frozenset(f.name for f in fields(Rule) if f.type == "re.Pattern[str] | None")


def load_rules(folder: Path | None = None) -> tuple[Rule, ...]:
    """Every rule of every `<category>.<lang>.yml` file in `folder` (default: this package's),
    in a stable order.

    Kept between runs (coaching/derived.py: reading, checking and expanding the files was
    about half of loading them), by the files' names and text and the code that reads them;
    the regexes are compiled again, from the code `Regexes` keeps."""
    # The files beside this module (not importlib.resources: see coaching/lexicon). The key is
    # made of their bytes: decoded only when the rules are read from them.
    files = sorted((f for f in (folder or Path(__file__).parent).iterdir()), key=lambda p: p.name)
    blobs = [(f.name, f.read_bytes()) for f in files if f.name.endswith(".yml")]
    regexes = Regexes("rules")
    rules = kept_as(
        "parsed-rules",
        _key(blobs),
        lambda: _read_rules([(name, _text(blob)) for name, blob in blobs], regexes),
        _dumped,
        lambda data: _loaded(data, regexes),
    )
    regexes.save()
    return rules


def _key(blobs: list[tuple[str, bytes]]) -> bytes:
    """The rule files' names and bytes, and the code that reads them, each after its length
    (no two different lists give the same key)."""
    parts = [(_COACHING / name).read_bytes() for name in _SOURCES]
    for name, blob in blobs:
        parts += [name.encode(), blob]
    return b"".join(b"%d:%b" % (len(p), p) for p in parts)


def _text(blob: bytes) -> str:
    """A file's bytes as `Path.read_text(encoding="utf-8")` gives them: universal newlines."""
    return blob.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _read_rules(texts: list[tuple[str, str]], regexes: Regexes) -> tuple[Rule, ...]:
    """The rules of the files (name, text), checked (ValueError for anything wrong)."""
    rules: list[Rule] = []
    for name, text in texts:
        stem = name.removesuffix(".yml")
        category, _, lang = stem.partition(".")
        if category not in CATEGORIES or lang not in ("es", "en"):
            raise ValueError(f"{name}: file name must be <category>.<es|en>.yml")
        data = parse(text) or []
        if not isinstance(data, list):
            raise ValueError(f"{name}: top level must be a list")
        macros: dict[str, str] = {}
        for entry in data:
            if isinstance(entry, dict) and set(entry) == {"macros"}:
                macros.update(_macros(entry, name))
                continue
            rules.append(_rule(entry, category, cast(Lang, lang), name, macros, regexes))
    return tuple(rules)


def _dumped(rules: tuple[Rule, ...]) -> list[tuple[Any, ...]]:
    """Each rule's fields in order, what marshal writes: its regexes as their text (they were
    all compiled from their text alone)."""
    out = []
    for rule in rules:
        values: list[Any] = []
        for f in fields(Rule):
            value = getattr(rule, f.name)
            if f.name in _REGEX_TUPLES:
                value = tuple(p.pattern for p in value)
            elif f.name in _REGEX_OR_NONE and value is not None:
                value = value.pattern
            values.append(value)
        out.append(tuple(values))
    return out


def _loaded(data: Any, regexes: Regexes) -> tuple[Rule, ...]:
    """The rules back from what `_dumped` wrote (ValueError, TypeError: it did not)."""
    names = [f.name for f in fields(Rule)]
    if not isinstance(data, list) or not data:
        raise ValueError("not kept rules")
    rules = []
    for values in data:
        if not isinstance(values, tuple) or len(values) != len(names):
            raise ValueError("not a kept rule")
        kept = dict(zip(names, values, strict=True))
        if not _well_typed(kept):
            raise ValueError("not a kept rule")
        try:
            for name in _REGEX_TUPLES:
                kept[name] = tuple(regexes.compile(p) for p in kept[name])
            for name in _REGEX_OR_NONE:
                if kept[name] is not None:
                    kept[name] = regexes.compile(kept[name])
        except re.error as exc:
            raise ValueError("a kept regex does not compile") from exc
        rules.append(Rule(**kept))
    return tuple(rules)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _anything(value: Any) -> bool:
    return True


def _texts(value: Any) -> bool:
    # Checked in C (thousands of examples and patterns): marshal gives exact types.
    return isinstance(value, tuple) and set(map(type, value)) <= {str}


def _worded_pairs(value: Any) -> bool:
    return isinstance(value, tuple) and all(
        isinstance(v, tuple) and len(v) == 2 and _texts(v) for v in value
    )


def _spans(value: Any) -> bool:
    return isinstance(value, tuple) and all(
        v is None or (isinstance(v, tuple) and len(v) == 2 and all(type(i) is int for i in v))
        for v in value
    )


# What each field of a kept rule must be (a field not named here is not checked).
_KEPT_TYPES: dict[str, Callable[[Any], bool]] = {
    **dict.fromkeys(("id", "category", "lang", "type", "explanation", "source"), _is_text),
    "tip": lambda v: type(v) is int,
    **dict.fromkeys((*_REGEX_TUPLES, "flag", "pass_"), _texts),
    **dict.fromkeys((*_REGEX_OR_NONE, "rewrite"), lambda v: v is None or _is_text(v)),
    **dict.fromkeys(("suggestions", "leads"), _worded_pairs),
    "marks": _spans,
}


def _well_typed(kept: dict[str, Any]) -> bool:
    return all(_KEPT_TYPES.get(name, _anything)(value) for name, value in kept.items())


RULES: tuple[Rule, ...] = load_rules()
