"""Language (es/en) and Spanish form of address (usted/tú/vos/vosotros) of one message."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress, filterfalse

from coaching.derived import compiled
from coaching.model import Lang, Register
from coaching.normalize import letter_runs


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text` as a set."""
    return frozenset(text.split())


_WORD = compiled(r"[a-z']{1,30}")

# Frequent function words; words shared by both languages ("a", "no", "me", "he") are left out.
_ES = _words(
    """de la que el en y los se del las un por con una su para es al lo como mas pero sus le ya
    este si porque esta entre cuando muy sin sobre tambien hasta hay donde desde todo nos les ni
    eso esto mi yo otro otra tu te usted ustedes vos hola gracias buenos buenas dias favor estoy
    esta estan tiene tienes puede puedo quiero necesito nada aqui ahora bien soy eres son fue ha
    han hace pedido cuenta cuando ese esa sea vez muchas dia hoy manana ayer"""
)
_EN = _words(
    """the to and of i you it in is that we for this have be on with your can will not are my do
    should was but at please thanks thank hi hello sorry know if what get been has had would could
    there they our us just any an am i'm it's don't you're can't we'll i'll yes order account
    today tomorrow help sure let"""
)

_EN_ONLY = _EN - _ES


_MAX_WORD = 30  # `_WORD`'s longest match: longer runs of letters are counted in pieces
# UTF-8 bytes: those of `letter_runs`' runs (a-z and "'") as "x", every other as a space.
_RUN_X = bytes(0x78 if 0x61 <= b <= 0x7A or b == 0x27 else 0x20 for b in range(256))
_LONG_RUN = b"x" * (_MAX_WORD + 1)


def lang_evidence(folded_text: str, runs: Sequence[str] | None = None) -> tuple[int, int]:
    """(Spanish, English) stop words counted in `folded_text`; `runs`: its `letter_runs`, when
    already known."""
    if runs is None:
        runs = letter_runs(folded_text)
    # `_WORD.findall`: the runs, cut in pieces of 30 (only a run longer than that is cut). A run
    # longer than 30 is 31 "x" in the text with its runs' characters as "x", the rest as spaces:
    # a translation and a substring search, where `max(map(len, runs))` made a call a run. The
    # search is `find`: `in` on bytes first reads its operand as an int, and for bytes raises and
    # clears a TypeError, its message formatted, every line (1 % of `calma analyze`).
    if (
        len(folded_text) <= _MAX_WORD
        or folded_text.encode("utf-8", "surrogatepass").translate(_RUN_X).find(_LONG_RUN) < 0
    ):
        words: Sequence[str] = runs
    else:
        words = _WORD.findall(folded_text)
    # A word in both lists counts as Spanish. Most lines hold words of one list only: the other
    # is ruled out by one C loop (`isdisjoint`) instead of a call per word.
    es = 0 if _ES.isdisjoint(words) else sum(map(_ES.__contains__, words))
    en = 0 if _EN_ONLY.isdisjoint(words) else sum(map(_EN_ONLY.__contains__, words))
    return es, en


def detect_lang(folded_text: str) -> Lang:
    """ "es" or "en" by counting stop words of each language; Spanish wins ties."""
    es, en = lang_evidence(folded_text)
    return "en" if en > es else "es"


# Voseo forms that survive accent folding (stem vowel not diphthongised, or a distinct imperative).
_VOS = compiled(
    r"\b(?:vos|sos|tenes|podes|queres|pensas|contas|entendes|volves|recordas|encontras|"
    r"preferis|sentis|pedis|seguis|decis|venis|dormis|sabes vos|decime|contame|escribime|"
    r"fijate|mira vos|deci|veni|tene|anda a|tenes que|pasame|mandame|avisame|che)\b"
)
# Voseo forms told apart from tú only by their written accent (checked on the original text).
_VOS_ACCENT = compiled(
    r"(?<![^\W\d_])(?:sabés|hacés|querés|podés|tenés|estás vos|hablás|necesitás|mirá|esperá|"
    r"probá|fijá|avisá|llamá|mandá|revisá|tomá|escuchá|decí|vení|poné|hacé|tené|salí)(?![^\W\d_])",
    re.IGNORECASE,
)
_TU = compiled(
    r"\b(?:tu|te|ti|contigo|tienes|puedes|quieres|sabes|eres|estas|has|haces|dices|vienes|"
    r"necesitas|deberias|debiste|debias|tenias|tendrias|hiciste|leiste|fijaste|escribiste|"
    r"llamaste|dime|cuentame|escribeme|avisame|tuyo|tuya)\b"
)
# Vosotros (the plural of tú in Spain): its pronouns, and verb forms in -áis/-éis/-ad/-aos.
_VOSOTROS = compiled(
    r"\b(?:vosotros|vosotras|os|vuestro|vuestra|vuestros|vuestras|deberiais|debisteis|debiais|"
    r"debierais|teniais|tendriais|teneis|podeis|quereis|sabeis|estais|sois|habeis|habiais|"
    r"hicisteis|leisteis|pedisteis|llamasteis|escribisteis|pagasteis|necesitais|tengais|esteis|"
    r"fijaos|calmaos|tranquilizaos|relajaos|mirad|esperad|decidme|contadme|avisadme|avisadnos|"
    r"escribidnos|llamadnos)\b"
)
# Tú imperatives told apart from voseo only by their written accent ("cálmate" / "calmate").
_TU_ACCENT = compiled(
    r"(?<![^\W\d_])(?:cálmate|relájate|tranquilízate|fíjate|espérate|escúchame|cuéntame|"
    r"dímelo|míralo)(?![^\W\d_])",
    re.IGNORECASE,
)
# Every form of _VOS_ACCENT and _TU_ACCENT has one of these written accents (in either case, as
# IGNORECASE reads them): a message without any has no match, and is not scanned for them.
_MARKED = compiled("[áéíóúÁÉÍÓÚ]")
# The same two, case-sensitive, for the lower-cased message: IGNORECASE costs every position of
# the text a try of every alternative. They find what the two above find on the message itself
# (`lower` keeps every letter a letter, each character one) unless it holds one of the three
# characters IGNORECASE reads as another letter (test_lang checks every character).
_VOS_ACCENT_LOW = compiled(_VOS_ACCENT.pattern)
_TU_ACCENT_LOW = compiled(_TU_ACCENT.pattern)
_ODD_CASE = ("\u0130", "\u0131", "\u017f")  # İ ı ſ


# On the lowered message the two regexes are counted on its runs of letters: each of their
# forms is letters alone, save the phrases with a space ("estás vos"), and is matched only as a
# whole run ("(?<![^\W\d_])" before it, "(?![^\W\d_])" after), so a run that is a form is a
# match and every match is such a run. One pass of `_LETTER_RUN` and a set look-up a run, where
# each regex tried every form at every position (about 50,000 instructions a line). A message
# holding one of the phrases is counted by the regexes themselves.
_LETTER_RUN = compiled(r"[^\W\d_]+")


def _accent_forms(rx: re.Pattern[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The forms of `_VOS_ACCENT` or `_TU_ACCENT`: single words, and phrases with a space."""
    body = rx.pattern.split("(?:", 1)[1].rsplit(")(?!", 1)[0]
    forms = body.split("|")
    assert all(f.replace(" ", "").isalpha() for f in forms), rx.pattern
    return frozenset(f for f in forms if " " not in f), tuple(f for f in forms if " " in f)


_VOS_WORDS, _VOS_PHRASES = _accent_forms(_VOS_ACCENT)
_TU_WORDS, _TU_PHRASES = _accent_forms(_TU_ACCENT)


def _accent_counts(original: str) -> tuple[int, int]:
    """(voseo, tú) forms told apart by their written accent in `original`."""
    if any(map(original.__contains__, _ODD_CASE)):
        return len(_VOS_ACCENT.findall(original)), len(_TU_ACCENT.findall(original))
    low = original.lower()
    # Every form has a written accent, so only a run of letters that is not ASCII can be one;
    # no run crosses a space: the runs of the pieces with such a letter are those runs.
    runs = _LETTER_RUN.findall(" ".join(filterfalse(str.isascii, low.split())))
    if any(map(low.__contains__, _VOS_PHRASES)):
        vos = len(_VOS_ACCENT_LOW.findall(low))
    else:
        vos = sum(map(_VOS_WORDS.__contains__, runs))
    if any(map(low.__contains__, _TU_PHRASES)):
        tu = len(_TU_ACCENT_LOW.findall(low))
    else:
        tu = sum(map(_TU_WORDS.__contains__, runs))
    return vos, tu


# Tú imperatives whose folded form is not voseo too.
_TU_EXTRA = compiled(r"\b(?:relajate|tranquilizate|calmate)\b")
_USTED = compiled(
    r"\b(?:usted|ustedes|su|sus|le|les|suyo|suya|digame|disculpe|calmese|fijese|espere|revise|"
    r"permitame|dejeme|indiqueme|confirmeme|escribanos|llamenos|puede usted|tiene|puede|quiere|"
    r"necesita|sabe|esta usted)\b"
)


_SPLIT = compiled(r"(\W+)")
_WORD_RUN = compiled(r"\w+")
# The bytes of an ASCII text: its word characters (\w) as they are, any other as a space.
_WORD_BYTES = bytes(b if chr(b).isalnum() or b == ord("_") else 32 for b in range(256))


def _word_runs(text: str) -> list[str]:
    """The runs of word characters of `text`: `re.findall(r"\\w+", text)`; for an ASCII text
    (most), from a byte translation and a split, which make no match object a word."""
    if text.isascii():
        return text.encode("ascii").translate(_WORD_BYTES).decode("ascii").split()
    return _WORD_RUN.findall(text)


_ALTERNATIVES = compiled(r"\\b\(\?:((?:[a-z]+(?: [a-z]+)*\|)*[a-z]+(?: [a-z]+)*)\)\\b")


def _phrases(rx: re.Pattern[str]) -> dict[str, list[tuple[str, ...]]]:
    """The alternatives of a regex `\\b(?:A1|A2|…)\\b` whose alternatives are words of letters
    joined by single spaces, by first word, in the regex's order."""
    found = _ALTERNATIVES.fullmatch(rx.pattern)
    assert found is not None, rx.pattern  # only such regexes are counted on words
    first: dict[str, list[tuple[str, ...]]] = {}
    for alt in found.group(1).split("|"):
        words = tuple(alt.split(" "))
        first.setdefault(words[0], []).append(words)
    return first


class _Phrases:
    """What `len(rx.findall(text))` counts for each of several regexes `\\b(?:A1|A2|…)\\b` whose
    alternatives are words joined by single spaces, counted on the text's words: a word starts
    every match (a letter after a boundary), and a match ends a word. One split of the text and
    one set look-up a word (in C), where each regex tries every position of the text."""

    def __init__(self, *regexes: re.Pattern[str]) -> None:
        self.tables = [_phrases(rx) for rx in regexes]
        self.starts: dict[str, tuple[int, ...]] = {}
        for t, table in enumerate(self.tables):
            for word in table:
                self.starts[word] = (*self.starts.get(word, ()), t)
        # The regexes a word is an alternative of by itself; the alternatives of several words,
        # as text, and their first words.
        self.singles: dict[str, tuple[int, ...]] = {}
        for t, table in enumerate(self.tables):
            for word, alts in table.items():
                if (word,) in alts:
                    self.singles[word] = (*self.singles.get(word, ()), t)
        several = [alt for table in self.tables for alts in table.values() for alt in alts]
        several = [alt for alt in several if len(alt) > 1]
        self.phrases = tuple(" ".join(alt) for alt in several)
        self.phrase_starts = frozenset(alt[0] for alt in several)

    def counts(self, text: str) -> list[int]:
        """Each regex's count of matches in `text`, in the regex's order: leftmost, then the
        first alternative that fits, then on after it."""
        words = _word_runs(text)
        if self.phrase_starts.isdisjoint(words) or not any(map(text.__contains__, self.phrases)):
            # No alternative of several words is in the text (each needs its words and single
            # spaces as written), so every match is one word.
            return self._single_counts(words)
        parts = _SPLIT.split(text)  # words at even indexes, what separates them at odd ones
        words = parts[::2]
        n = [0] * len(self.tables)
        after = [0] * len(self.tables)  # per regex, the first word a match may start at
        starts = self.starts
        for w in compress(range(len(words)), map(starts.__contains__, words)):
            word = words[w]
            for t in starts[word]:
                if w < after[t]:
                    continue
                for alt in self.tables[t][word]:
                    k = len(alt)
                    if k == 1 or (
                        w + k <= len(words)
                        and all(
                            parts[2 * (w + j) + 1] == " " and words[w + j + 1] == alt[j + 1]
                            for j in range(k - 1)
                        )
                    ):
                        n[t] += 1
                        after[t] = w + k
                        break
        return n

    def _single_counts(self, words: list[str]) -> list[int]:
        """Each regex's count of `words` that are an alternative of it by themselves."""
        n = [0] * len(self.tables)
        singles = self.singles
        for word in filter(singles.__contains__, words):
            for t in singles[word]:
                n[t] += 1
        return n


def detect_register(folded_text: str, lang: Lang = "es", original: str | None = None) -> Register:
    """Form of address: "you" in English; in Spanish vosotros, vos, tú or usted (the default)."""
    if lang == "en":
        return "you"
    vos, tu, tu_extra, usted, vosotros = _FORMS.counts(folded_text)
    tu += tu_extra
    if original is not None and _MARKED.search(original):
        vos_marked, tu_marked = _accent_counts(original)
        vos += vos_marked
        tu += tu_marked
        vos = max(0, vos - tu_marked)  # "fíjate" is tú, though its folded form reads as voseo
    if vosotros and vosotros >= usted and vosotros >= tu:
        return "vosotros"
    if vos and vos + tu > usted:
        return "vos"
    if tu > usted:
        return "tu"
    return "usted"


_FORMS = _Phrases(_VOS, _TU, _TU_EXTRA, _USTED, _VOSOTROS)
