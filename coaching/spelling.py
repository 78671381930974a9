"""Chat spelling of the rules' own words: b for v, s for z or soft c, y for ll, a dropped h.

Agents type as they speak: "deveria", "ubiera", "tranquilisese", "yamo", "aber". The rules are
written in standard spelling, so each word they use is also known in the misspellings these
sound-alike letters give it, and `fold` writes a misspelled word back in the rules' spelling
before any rule runs. Only words the rules use are restored, only words of four letters or more,
and never into a word the rules know as a different word, nor a spelling two rule words share
("baya" could be "vaya" or "valla": left alone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from itertools import combinations

from coaching.derived import compiled

MIN_LETTERS = 4

_ESCAPE = compiled(r"\\[a-zA-Z]|\(\?P?<[a-z_]+>|\[[^\]]*\]|\{[^}]*\}")
_WORD = compiled(rf"[a-z]{{{MIN_LETTERS},}}")
_VOWEL_H = compiled(r"(?<=[aeiou])h(?=[aeiou])")
_SOFT_C = compiled(r"c(?=[ei])")
_LL = compiled(r"ll")
_Y = compiled(r"(?<=[a-z])y(?=[aeiou])")


def _no_h_first(w: str) -> str:
    return w[1:] if w.startswith("h") else w


# Each one changes every place it applies in a word; a misspelling may carry several.
_CHANGES: tuple[Callable[[str], str], ...] = (
    lambda w: w.replace("v", "b"),
    lambda w: w.replace("b", "v"),
    lambda w: _SOFT_C.sub("s", w.replace("z", "s")),
    _no_h_first,
    lambda w: _VOWEL_H.sub("", w),
    lambda w: _LL.sub("y", w),
    lambda w: _Y.sub("ll", w),
)


def words_of(patterns: Iterable[str], texts: Iterable[str]) -> set[str]:
    """The words written out in rule patterns (escapes, classes and counts left out) and in
    already folded texts (the rules' examples)."""
    found: set[str] = set()
    for pattern in patterns:
        found.update(_WORD.findall(_ESCAPE.sub(" ", pattern)))
    for text in texts:
        found.update(_WORD.findall(text))
    return found


def misspellings(word: str) -> set[str]:
    """The spellings `word` takes under any combination of the sound-alike changes."""
    out: set[str] = set()
    changes = [change for change in _CHANGES if change(word) != word]  # most words: none
    for n in range(1, len(changes) + 1):
        for chosen in combinations(changes, n):
            variant = word
            for change in chosen:
                variant = change(variant)
            if variant != word and len(variant) >= MIN_LETTERS:
                out.add(variant)
    return out


def table(known: Iterable[str]) -> dict[str, str]:
    """Misspelling -> the rules' word, for the misspellings that are no known word and stand
    for one known word only."""
    vocabulary = set(known)
    found: dict[str, str | None] = {}
    for word in sorted(vocabulary):
        for variant in misspellings(word):
            if variant in vocabulary:
                continue
            found[variant] = word if found.get(variant, word) == word else None
    return {variant: word for variant, word in found.items() if word is not None}


def respell(text: str, spell: Mapping[str, str]) -> list[tuple[int, int, str]]:
    """(start, end, word) for each misspelled word of folded `text`."""
    edits: list[tuple[int, int, str]] = []
    if spell.keys().isdisjoint(_WORD.findall(text)):  # most lines: no misspelled rule word
        return edits
    for m in _WORD.finditer(text):
        word = spell.get(m.group())
        if word is not None:
            edits.append((m.start(), m.end(), word))
    return edits
