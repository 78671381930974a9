"""What start-up derives from the built-in patterns, kept between runs: each pattern's literals
and reach (the engine's), and each regex's compiled code.

Parsing every rule pattern again and walking its tree was about a third of `calma analyze`'s
start-up. The result depends only on the pattern's text and on the code that derives it, so it
is kept in a file named by a hash of that code (coaching/prefilter.py, coaching/engine.py) and
of the Python version, one entry per pattern text: a pattern missing from the file (a new or
edited rule) is derived again and the file rewritten. The folder is $CALMA_CACHE_DIR, else
$XDG_CACHE_HOME/calma, else ~/.cache/calma; a file that cannot be read or written is ignored
(everything is then derived, as without a cache). Nothing here ever changes a result.

Compiled code: `Regexes` hands out `re.compile(pattern)` for pattern texts, built from the code
`re` compiled for the same text in an earlier run (the file is named by the Python version and
the regex engine's MAGIC too; `_sre.compile` validates the code, and anything it refuses is
compiled afresh). Compiling every rule regex was about half of what remained of start-up.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import contextlib
import marshal
import os
import re
import sys
from array import array
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from re import _parser  # type: ignore[attr-defined]
from typing import Any, TypeVar

from coaching import first_chars
from coaching.prefilter import leading_pattern

try:  # BLAKE2 is built in; hashlib's sha256 would load OpenSSL first (2.5 ms of every start)
    from _blake2 import blake2b
except ImportError:  # another Python: hashlib's, the same function
    from hashlib import blake2b

# (the literals every match contains, sorted, or None; how far a match reaches around one;
# other sets of literals every match contains one of, each sorted)
Derived = tuple[tuple[str, ...] | None, int | None, tuple[tuple[str, ...], ...]]
_SOURCES = ("prefilter.py", "engine.py")
T = TypeVar("T")


def cache_dir() -> Path:
    """Where the derived data is kept."""
    if os.environ.get("CALMA_CACHE_DIR"):
        return Path(os.environ["CALMA_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "calma"


def _path() -> Path:
    h = blake2b(sys.version.encode())
    here = Path(__file__).parent
    for name in _SOURCES:
        h.update((here / name).read_bytes())
    return cache_dir() / f"patterns-{h.hexdigest()[:20]}.marshal"


# The code words of a regex are kept as the bytes of an array of unsigned ints of the regex
# engine's code size: marshal reads one object per word of a list of ints (about 600,000 words
# for the built-in rules and modules), but bytes at once, and `array.tolist` makes the list
# `_sre.compile` takes in one C loop.
_CODE_TYPE = next(t for t in "IL" if array(t).itemsize == _sre.CODESIZE)


# The code is written by `first_chars.code`: the file is named by that module's source too, so
# code an edited (or broken) version wrote is never read by another.
_CODE_SOURCES = ("first_chars.py",)


def _code_path(name: str) -> Path:
    engine = f"{_sre.MAGIC}|{_sre.CODESIZE}|bytes"
    h = blake2b(f"{sys.version}|{sys.implementation.cache_tag}|{engine}".encode())
    here = Path(__file__).parent
    for source in _CODE_SOURCES:
        h.update((here / source).read_bytes())
    return cache_dir() / f"{name}-{h.hexdigest()[:20]}.marshal"


class Regexes:
    """`re.compile` for pattern texts, from the compiled code a file keeps.

    Call `save()` once everything is compiled: it writes the file if a pattern was new, keeping
    only the patterns compiled through this object (one file per user of it), so entries for
    patterns no longer built (an edited rule) do not pile up run after run."""

    def __init__(self, name: str) -> None:
        try:
            self.path: Path | None = _code_path(name)
        except OSError:
            self.path = None
        self.codes: dict[str, Any] = _read(self.path) if self.path is not None else {}
        self.used: set[str] = set()
        self.dirty = False

    def compile(self, pattern: str, flags: int = 0) -> re.Pattern[str]:
        """`re.compile(pattern, flags)`, from kept code when there is some."""
        key = pattern if not flags else f"{int(flags)}:{pattern}"
        self.used.add(key)
        entry = self.codes.get(key)
        if entry is not None:
            try:
                flags_, code, *rest = entry
                if isinstance(code, bytes):
                    code = array(_CODE_TYPE, code).tolist()
                return _sre.compile(pattern, flags_, code, *rest)  # type: ignore[no-any-return]
            except (TypeError, ValueError, RuntimeError, OverflowError):
                pass  # not code this `re` wrote: compile afresh
        tree = _parser.parse(pattern, flags)
        index = tree.state.groupdict
        names: list[str | None] = [None] * tree.state.groups
        for k, i in index.items():
            names[i] = k
        code = [int(c) for c in first_chars.code(tree, flags)]
        all_flags = int(flags | tree.state.flags)
        rest = (tree.state.groups - 1, dict(index), tuple(names))
        self.codes[key] = (all_flags, array(_CODE_TYPE, code).tobytes(), *rest)
        self.dirty = True
        return _sre.compile(pattern, all_flags, code, *rest)  # type: ignore[no-any-return]

    def save(self) -> None:
        stale = len(self.codes) > len(self.used)
        if (self.dirty or stale) and self.path is not None:
            self.codes = {p: self.codes[p] for p in self.used}
            _write(self.path, self.codes)
            self.dirty = False


def _read(path: Path) -> dict[str, Any]:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, Any]) -> None:
    """Replace the file at once (readers see the old file or the new one), or leave it."""
    import tempfile  # only when a file is written: most starts write none

    try:
        blob = marshal.dumps(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
    except (OSError, ValueError):
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _words(lits: object) -> bool:
    return isinstance(lits, tuple) and all(isinstance(w, str) and w for w in lits)


def _valid(entry: object) -> bool:
    if not isinstance(entry, tuple) or len(entry) != 3:
        return False
    lits, reach, others = entry
    return (
        (lits is None or _words(lits))
        and (reach is None or type(reach) is int)
        and isinstance(others, tuple)
        and all(_words(o) and o for o in others)
    )


def derived(patterns: Iterable[str], derive: Callable[[str], Derived]) -> dict[str, Derived]:
    """`derive(p)` for every pattern text, from the cache file where it holds the entry."""
    try:
        path: Path | None = _path()
    except OSError:
        path = None
    known = _read(path) if path is not None else {}
    out: dict[str, Derived] = {}
    missing = False
    for p in patterns:
        if p in out:
            continue
        entry = known.get(p)
        if entry is None or not _valid(entry):
            entry = known[p] = derive(p)
            missing = True
        out[p] = entry
    if missing and path is not None:
        _write(path, known)
    return out


def _kept_path(name: str, key: str | bytes) -> Path | None:
    """Where `kept` keeps `name` made from `key` (None: no cache folder). A key given as bytes
    (files as read) is hashed as it is: the same name as the text it encodes in UTF-8."""
    h = blake2b(f"{sys.version}|".encode())
    h.update(key if isinstance(key, bytes) else key.encode())
    digest = h.hexdigest()[:20]
    try:
        return cache_dir() / f"{name}-{digest}.marshal"
    except OSError:
        return None


def kept_value(name: str, key: str, make: Callable[[], Any]) -> Any:
    """`make()`, kept like `kept` (made again only when `key` changes), for any value marshal
    writes (a value it cannot write is made at every call)."""
    return kept_as(name, key, make, _same, _same)


def _same(value: T) -> T:
    return value


def kept_as(
    name: str,
    key: str | bytes,
    make: Callable[[], T],
    dump: Callable[[T], Any],
    load: Callable[[Any], T],
) -> T:
    """`make()`, kept like `kept_value` for a value marshal cannot write itself: the file holds
    `dump(made)`, read back with `load`. Data `load` fails on (any exception: a file not written
    for this key, or damaged) is made again and the file rewritten; a value `dump` refuses
    (ValueError, TypeError or LookupError) is made at every call."""
    path = _kept_path(name, key)
    if path is not None:
        data = _read(path)
        if set(data) == {"value"}:
            try:
                return load(data["value"])
            except Exception:  # whatever a damaged file makes `load` raise: made again below
                pass
    made = make()
    if path is not None:
        try:
            value = dump(made)
        except (ValueError, TypeError, LookupError):
            return made
        _write(path, {"value": value})
    return made


def kept(name: str, key: str, make: Callable[[], dict[str, str]]) -> dict[str, str]:
    """`make()`, kept in the cache folder under `name` and a hash of `key` (the inputs it is made
    from): made again only when the key changes. A file that cannot be read or written is
    ignored."""
    path = _kept_path(name, key)
    if path is not None:
        data = _read(path)
        if data and all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            return data
    made = make()
    if path is not None:
        _write(path, dict(made))
    return made


# Part of the key of kept leads: changed with `prefilter.leading_pattern`, so leads kept by an
# earlier version (still true, but weaker) are made again.
_LEAD_VERSION = "2"


def lead(pattern: str) -> str:
    """`prefilter.leading_pattern(pattern)` ("" when none), kept like `kept_value`: the parse it
    needs is done once, not at every start-up. Put before `pattern`, most starts fail at once."""
    return kept_value("lead", f"{_LEAD_VERSION}|{pattern}", lambda: leading_pattern(pattern)) or ""


def _leads(alternatives: Sequence[str]) -> list[str]:
    """`leading_pattern` of each alternative ("" when none or when it cannot be parsed alone)."""
    out: list[str] = []
    for alt in alternatives:
        try:
            out.append(leading_pattern(alt) or "")
        except re.error:  # a group named in another alternative: no lead
            out.append("")
    return out


def word_alternation(alternatives: Sequence[str], deeper: str = "") -> str:
    """The source of `\\b(?:A1|A2|…)` for alternatives that each match from a word's start,
    written to fail fast: "\\b(?=\\w)" (inside a word or a run of spaces the boundary fails
    at once), the lookahead of the words any match starts with (`lead`), and each alternative
    behind its own lookahead. Matches are the same (each lookahead holds wherever what follows
    it can match); but where `re` tried each alternative in turn at every word start passing the
    first lookahead, most now fail after a few characters (the time expressions: half the cost).

    `deeper`: a lookahead put before the others (`followup_times.deep_lead`). The leads are kept
    like `kept_value`, one entry for all the alternatives."""
    whole = r"\b(?:" + "|".join(alternatives) + ")"
    key = "\n".join((_LEAD_VERSION, *alternatives))
    kept_leads = kept_value("alternation", key, lambda: [lead(whole), *_leads(alternatives)])
    made: list[str] = (
        kept_leads
        if isinstance(kept_leads, list)
        and len(kept_leads) == len(alternatives) + 1
        and all(isinstance(x, str) for x in kept_leads)
        else [lead(whole), *_leads(alternatives)]
    )
    first, *own = made
    body = "|".join(o + a for o, a in zip(own, alternatives, strict=True))
    return r"\b(?=\w)" + deeper + first + "(?:" + body + ")"


# The coaching modules' own regexes (compiled at import), from code kept between runs: `save`
# runs once they are all compiled (coaching/analyze.py, at the end of its import).
MODULES = Regexes("modules")


def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)` for a regex a coaching module compiles at import."""
    return MODULES.compile(pattern, flags)
