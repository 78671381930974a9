"""Fold chat text for matching while keeping a map back to the original offsets.

Matching is accent- and case-insensitive and survives chat spelling: missing accents, "q" for
"que", stretched letters ("nooo"). Quoted text (Slack `>` quotes, code spans, text in quotation
marks) is not the author's own words: it is replaced by a line break so no rule sees it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field

from coaching.derived import compiled
from coaching.spelling import respell


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        low = ch.lower()
        base = "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))
        if len(base) == 1 and base != ch:
            table[cp] = base
    for ch in "\u2018\u2019\u201a\u201b\u2032\u00b4":  # not "`": it opens code spans
        table[ord(ch)] = "'"
    for ch in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033":
        table[ord(ch)] = '"'
    for ch in (
        "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
    ):
        table[ord(ch)] = " "
    table[ord("\u00bf")] = "?"  # keep one-to-one; "¿" carries nothing for matching
    table[ord("\u00a1")] = "!"
    return table


_TABLE = _build_table()

# Length-changing edits, applied after the one-to-one fold. Every pattern is linear.
# Invisible characters: soft hyphen, zero-width and bidi marks, embeddings and isolates,
# variation selectors, BOM, and C0 controls other than tab and line breaks; and combining
# marks, so decomposed text (NFD, as some systems paste it) folds like precomposed text.
_INVISIBLE = (
    r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069"
    r"\ufeff\ufe00-\ufe0f\u0300-\u036f"
)
_EDITS = compiled(
    # Every edit starts with an invisible character or a letter: the scan skips the rest at once.
    rf"(?=[{_INVISIBLE}a-z])(?:"
    rf"(?P<fmt>[{_INVISIBLE}]+)"
    r"|(?P<stretch>([a-z])\3{2,})"
    # A doubled final "s" on a 2nd-person imperfect / conditional / subjunctive ending
    # ("teniass", "deberiass", "hubierass"): no Spanish or English word ends so. Other doubles
    # (ll, rr, cc, ee, "class", "less") are real spelling and stay.
    r"|(?<=[a-z])(?P<ss>(?:ia|iera|iese|aba)s)s(?![a-z'])"
    # Chat spelling, at a word's start: abbreviations; "t" for "te" before a word ("t escribo"),
    # not English "don t", "can t"; Caribbean "e'" for "es" ("eso no e' culpa mía"), not "e'er".
    r"|(?<![\w'])(?:"
    r"(?P<abbr>q|k|xq|pq|porq|ud|uds|vd|vds|tmb|tb|ntp|ur|uste|u(?= (?!h?o)))(?![\w'])"
    r"|(?<!n )(?P<te>t)(?= [a-z])"
    # "x" for "por" and "d" for "de" before a word ("eso le pasa x no leer", "la fecha d pago")
    r"|(?P<por>x)(?= [a-z])|(?P<de>d)(?= [a-z])"
    r"|(?P<es>e')(?![\w'])))"
)
_ABBR = {
    "q": "que",
    "k": "que",
    "xq": "porque",
    "pq": "porque",
    "porq": "porque",
    "ud": "usted",
    "vd": "usted",
    "uds": "ustedes",
    "vds": "ustedes",
    "tmb": "tambien",
    "tb": "tambien",
    "ntp": "no te preocupes",
    # English chat: "u" for "you" (Spanish "u" only stands before an o- sound: "siete u ocho").
    "u": "you",
    "ur": "your",
    "uste": "usted",  # Caribbean / Andalusian "usté"
}

# What the edits without a captured word write instead of the match.
_FIXED = {"fmt": "", "te": "te", "es": "es", "por": "por", "de": "de"}

# Cheap tests that a text may hold an edit: each edit needs an invisible character, three equal
# letters, "ss", "e'", or a word of `_ABBR` (or "t", "x", "d") standing alone: most lines have
# none, and skip the scan of `_EDITS` (which tries every letter). A word standing alone (no
# letter, digit or "'" either side) is one of the text's letter runs (`letter_runs`), so a set
# look-up per run tells whether there is one, where two regex scans did.
_INVISIBLE_ANY = compiled(f"[{_INVISIBLE}]")
_TRIPLE = compiled(r"([a-z])\1\1")
_SHORT = frozenset([*_ABBR, "t", "x", "d"])


def _may_edit(base: str, runs: list[str]) -> bool:
    """False only when `_EDITS` cannot match anywhere in `base`; `runs`: its `letter_runs`."""
    return _edit_scan(base, runs) is not None


# `_EDITS`' stretched letters alone: what it finds in a text whose other edits the quick tests
# rule out (a stretched word, "nooo", is the commonest edit, and this scan costs a tenth of it).
_STRETCH = compiled(r"(?P<stretch>([a-z])\2{2,})")


def _edit_scan(base: str, runs: list[str], latin1: bool = False) -> re.Pattern[str] | None:
    """The regex whose matches in `base` are `_EDITS`' (`runs`: its `letter_runs`): `_EDITS`,
    `_STRETCH` when stretched letters are the only edit the text can hold, None when it holds
    none. `latin1`: the caller knows every character of `base` is below U+0100."""
    if (
        "ss" in base
        or "e'" in base
        or not _SHORT.isdisjoint(runs)
        # Below U+0100 (ASCII, Latin-1) the invisible characters are the controls and the soft
        # hyphen, none printable: a printable text of them holds none (test_normalize checks).
        or (not ((latin1 or base.isascii()) and base.isprintable()) and _INVISIBLE_ANY.search(base))
    ):
        return _EDITS
    return _STRETCH if _TRIPLE.search(base) else None


# UTF-8 bytes: a-z and "'" stay, every other byte (those of non-ASCII characters too) is a space.
_RUN_BYTES = bytes(b if 0x61 <= b <= 0x7A or b == 0x27 else 0x20 for b in range(256))


def letter_runs(text: str) -> list[str]:
    """The maximal runs of a-z and "'" in `text`, in order: `re.findall(r"[a-z']+", text)`,
    from a byte translation and a split (a few C loops where the regex takes a step and an
    object per character and run)."""
    return text.encode("utf-8", "surrogatepass").translate(_RUN_BYTES).decode("ascii").split()


# Text that is not the author's own words. Each alternative is linear (no nested repetition).
_QUOTED = compiled(
    r"```[^`]*(?:```|\Z)"  # code block
    r"|`[^`\n]+`"  # code span
    r"|^[ \t]*(?:>|&gt;)[^\n]*"  # Slack / markdown quote line
    r'|"[^"\n]{1,300}"'  # a quotation inside a line (after folding “ ” « » to ")
    # In single quotes; an apostrophe between two letters ("there's") is inside a word, not a
    # quote's end, and a quote's own marks are not letters' neighbours.
    r"|(?<![a-z0-9])'(?:[^'\n]|(?<=[a-z])'(?=[a-z])){1,300}'(?![a-z0-9])",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text plus the anchors that map its offsets back to the original."""

    original: str
    text: str
    # Sorted anchors: (folded_start, folded_end, orig_start, orig_end) of each edited segment.
    _edits: tuple[tuple[int, int, int, int], ...]
    _starts: tuple[int, ...]
    # `letter_runs(text)` when `fold` worked them out (None: not known).
    runs: list[str] | None = field(default=None, compare=False, repr=False)

    def orig_start(self, i: int) -> int:
        """Original offset of the character at folded offset `i`."""
        k = bisect_right(self._starts, i) - 1
        if k < 0:
            return min(i, len(self.original))
        _fs, fe, os_, oe = self._edits[k]
        if i < fe:
            return os_
        return min(oe + (i - fe), len(self.original))

    def orig_end(self, j: int) -> int:
        """Original offset just past the character at folded offset `j - 1`."""
        if j <= 0:
            return 0
        k = bisect_right(self._starts, j - 1) - 1
        if k < 0:
            return min(j, len(self.original))
        _fs, fe, _os, oe = self._edits[k]
        if j - 1 < fe:
            return oe
        return min(oe + (j - fe), len(self.original))

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original (start, end) of the folded span [i, j)."""
        if not self._starts:  # nothing edited: the same offsets (0 <= i, j <= len(text))
            return i, max(i, j)
        start = self.orig_start(i)
        end = self.orig_end(j)
        return start, max(start, end)


# `Folded(...)` as `fold` makes one for every line: its slots set through their descriptors,
# where the frozen dataclass's own __init__ calls object.__setattr__ for each field (about half
# of what making one cost).
_NEW = object.__new__
_SET_ORIGINAL, _SET_TEXT, _SET_EDITS, _SET_STARTS, _SET_RUNS = (
    Folded.__dict__[name].__set__ for name in ("original", "text", "_edits", "_starts", "runs")
)


def _folded(
    original: str,
    text: str,
    edits: tuple[tuple[int, int, int, int], ...],
    starts: tuple[int, ...],
    runs: list[str] | None = None,
) -> Folded:
    """`Folded(original, text, edits, starts, runs)`, made faster."""
    made: Folded = _NEW(Folded)
    _SET_ORIGINAL(made, original)
    _SET_TEXT(made, text)
    _SET_EDITS(made, edits)
    _SET_STARTS(made, starts)
    _SET_RUNS(made, runs)
    return made


def fold_letters(text: str) -> str:
    """Only the one-to-one part of `fold`: lower case, no accents, quotes and spaces unified."""
    return _letters(text)[0]


def _letters(text: str) -> tuple[str, bytes | None]:
    """`fold_letters(text)`, and the text's own Latin-1 bytes when every character of it is below
    U+0100 (most lines; None otherwise), from which `fold` reads the letter runs."""
    # The table's only ASCII entries are the capitals: on ASCII text it is `lower`. Otherwise
    # the capitals go through `bytes.lower` (ASCII only) and only the characters outside ASCII
    # are looked up, one call each: `translate` with a dictionary costs several hundred
    # instructions every character.
    if text.isascii():
        return text.lower(), text.encode("ascii")
    try:
        latin = text.encode("latin-1")
    except UnicodeEncodeError:  # a character past U+00FF (an emoji, a curly quote)
        return _fold_wide(text), None
    # Every character is one byte of Latin-1 (most Spanish lines): one byte translation does
    # both steps, where the regex called `_fold_char` for each accented letter.
    return latin.translate(_LATIN1).decode("latin-1"), latin


def _fold_wide(text: str) -> str:
    """`fold_letters` of a text with a character past U+00FF."""
    low = text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    return _NOT_ASCII.sub(_fold_char, low)


_FOLDED = {chr(k): v for k, v in _TABLE.items()}
_NOT_ASCII = compiled(r"[^\x00-\x7f]")
# `fold_letters` of each Latin-1 character, as a byte: ASCII lowered (`bytes.lower`), the rest
# as the table says. Every fold of a character below U+0100 is one too (checked at import).
_LATIN1 = bytes(
    ord(_FOLDED.get(chr(b), chr(b)) if b > 0x7F else chr(b).lower()) for b in range(256)
)
# What `letter_runs` reads in `fold_letters`' bytes, from a Latin-1 text's own bytes: both
# translations in one.
_LATIN1_RUNS = bytes(_RUN_BYTES[_LATIN1[b]] for b in range(256))


def _fold_char(m: re.Match[str]) -> str:
    ch = m.group()
    return _FOLDED.get(ch, ch)


def fold(text: str, spell: Mapping[str, str] | None = None) -> Folded:
    """Fold `text`: lower case, no accents, chat spelling expanded, quoted text masked; with
    `spell` (coaching/spelling.py), sound-alike misspellings of the rules' words restored."""
    # `letter_runs(base)`, for a text below U+0100 (most) from its Latin-1 bytes: the runs' byte
    # translation reads them, where `letter_runs` encoded the folded text again.
    base, latin = _letters(text)
    if latin is None:
        runs = letter_runs(base)
    else:
        runs = latin.translate(_LATIN1_RUNS).decode("ascii").split()
    edits: list[tuple[int, int, str]] = []  # (orig_start, orig_end, replacement)
    masked: list[tuple[int, int]] = []
    # Every quote holds "`", ">" (or its entity "&gt;"), '"' or "'": without them, no scan.
    if "`" in base or ">" in base or '"' in base or "'" in base or "&gt;" in base:
        for m in _QUOTED.finditer(base):
            masked.append((m.start(), m.end()))
            edits.append((m.start(), m.end(), "\n"))
    mi = 0
    scan = _edit_scan(base, runs, latin is not None)
    for m in scan.finditer(base) if scan is not None else ():
        s, e = m.start(), m.end()
        while mi < len(masked) and masked[mi][1] <= s:
            mi += 1
        if mi < len(masked) and masked[mi][0] < e:
            continue  # inside a masked quote
        kind = m.lastgroup  # the one named alternative that matched (stretch: not its letter)
        fixed = _FIXED.get(kind or "")
        if fixed is not None:
            edits.append((s, e, fixed))
        elif kind == "ss":
            edits.append((s, e, m.group("ss")))
        elif kind == "stretch":
            edits.append((s, e, m.group("stretch")[0]))
        else:
            edits.append((s, e, _ABBR[m.group("abbr")]))
    # A misspelled word (`respell`) is a run of four letters or more: in a text without "'" it is
    # one of the letter runs, so when no run is a key of `spell` there is nothing to restore.
    if spell and ("'" in base or not spell.keys().isdisjoint(runs)):
        _respelled(base, spell, edits)
    if not edits:
        return _folded(text, base, (), (), runs)
    edits.sort()
    parts: list[str] = []
    anchors: list[tuple[int, int, int, int]] = []
    pos = 0
    out = 0
    for s, e, rep in edits:
        parts.append(base[pos:s])
        out += s - pos
        parts.append(rep)
        anchors.append((out, out + len(rep), s, e))
        out += len(rep)
        pos = e
    parts.append(base[pos:])
    return _folded(text, "".join(parts), tuple(anchors), tuple(a[0] for a in anchors))


def _respelled(base: str, spell: Mapping[str, str], edits: list[tuple[int, int, str]]) -> None:
    """Add the misspelled words' edits to `edits`, but none inside a quote or another edit."""
    found = respell(base, spell)
    if not found:
        return
    taken = sorted((s, e) for s, e, _ in edits)
    starts = [s for s, _ in taken]
    for s, e, word in found:
        k = bisect_right(starts, e - 1) - 1  # the last edit starting before this word ends
        if k >= 0 and taken[k][1] > s:
            continue
        edits.append((s, e, word))
