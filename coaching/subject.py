"""Who "debería / should have" is about: the customer (a judgement), the agent (an apology), or a
thing or a third party (an expectation). Works on folded text around one modal verb."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Literal

from coaching import lexicon
from coaching.derived import compiled


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text` as a set."""
    return frozenset(text.split())


# The word lists are data: coaching/lexicon/subject.yml.
Subject = Literal["customer", "agent", "other", "implicit"]
Span = tuple[int, int]

_TOKEN = compiled(r"[a-z][a-z'-]{0,29}|[^\sa-z]")
_WINDOW = 90
_LONGEST = 30  # `_TOKEN`'s longest word: longer runs of letters are cut in pieces

# ---------------------------------------------------------------- Spanish

_LEX = lexicon.load("subject.yml")
_ES, _EN = _LEX["es"], _LEX["en"]

_ES_CUSTOMER_FORMS = _words(_ES["customer_forms"])
_ES_AGENT_FORMS = _words(_ES["agent_forms"])
_ES_PLURAL_FORMS = _words(_ES["plural_forms"])
_ES_PAST_FORMS = _words(_ES["past_forms"])
_ES_CUSTOMER = _words(_ES["customer"])
_ES_AGENT = _words(_ES["agent"])
_ES_CLITICS = _words(_ES["clitics"])
_ES_ADVERBS = _words(_ES["adverbs"])
_ES_BOUNDARY = _words(_ES["boundary"])
_ES_PREP = _words(_ES["prepositions"])
_ES_IRREGULAR: dict[str, str] = {str(k): str(v) for k, v in _ES["irregular"].items()}
_ES_NONAGENTIVE = _words(_ES["nonagentive"])
_ES_CUSTOMER_AGENTIVE = _words(_ES["agentive_for_customer"])
_ES_PERCEPTION = _words(_ES["perception"])
_ES_DIRECT = _words(_ES["direct_objects"])
_ES_REFLEXIVE_AGENTIVE = _words(_ES["reflexive_agentive"])
_ES_LECTURE = _words(_ES["lecture"])
# "aber", "aver", "haver": chat spellings of "haber" ("deberia aver leido").
_HABER = compiled(r"h?a[bv]er((?:me|te|se|le|les|lo|la|los|las|nos|os){0,3})")
_INF = compiled(r"([a-z]{1,25}?(?:ar|er|ir))((?:me|te|se|le|les|lo|la|los|las|nos|os){0,3})")
# Participles, with the spoken "-ao" of "-ado" ("llamao", "avisao").
_PART = compiled(r"([a-z]{1,25}?)(?:(?:ad|id)[oa]s?|ao)")
_CLITIC_SPLIT = compiled(r"nos|les|los|las|me|te|se|le|lo|la|os")


def _tokens(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def _tokens_before(text: str, start: int) -> Iterator[tuple[str, int]]:
    """The tokens of `_tokens(text, max(0, start - _WINDOW), start)`, last first (word and
    start), read one space-separated piece at a time: a look-back mostly stops after one to
    three tokens, so the rest of the window is never read. No token holds a space, so a piece
    that starts after one is cut into the same tokens as the whole window is."""
    lo = max(0, start - _WINDOW)
    hi = start
    while hi > lo:
        cut = text.rfind(" ", lo, hi)
        first = cut + 1 if cut >= 0 else lo
        piece = text[first:hi]
        if _one_word(piece):
            yield piece, first
        elif piece:
            for m in reversed(list(_TOKEN.finditer(text, first, hi))):
                yield m.group(), m.start()
        hi = cut if cut >= 0 else lo


def _one_word(piece: str) -> bool:
    """True when `piece` is one token of `_TOKEN` that is a word of a-z alone (most pieces):
    string tests in C, where the regex makes a match object."""
    return piece.isascii() and piece.isalpha() and piece.islower() and len(piece) <= _LONGEST


def _words_after(text: str, end: int) -> list[str]:
    """The tokens after the modal, in the window, up to the first one that is not a word.

    As strings, without a match object a token (they cost more than the rest of `blame_es`):
    read a space-separated piece at a time, as `_tokens_before` does; `_token_end` finds where
    one of them ends, for the span returned."""
    toks: list[str] = []
    for piece in text[end : min(len(text), end + _WINDOW)].split():
        if _one_word(piece):
            toks.append(piece)
            continue
        for tok in _TOKEN.findall(piece):
            if not tok[0].isalpha():
                return toks
            toks.append(tok)
    return toks


def _token_end(text: str, end: int, k: int) -> int:
    """Where the token `k` of `_words_after(text, end)` ends."""
    window = _TOKEN.finditer(text, end, min(len(text), end + _WINDOW))
    return next(islice(window, k, None)).end()


def _lookback_es(text: str, start: int) -> tuple[Subject, int, list[str], bool]:
    """Subject before the modal, where it starts, clitics in between, and whether "ya" was seen."""
    clitics: list[str] = []
    has_ya = False
    for tok, s in _tokens_before(text, start):
        if tok in _ES_CLITICS:
            clitics.append(tok)
        elif tok in _ES_ADVERBS:
            has_ya = has_ya or tok == "ya"
        elif tok in _ES_CUSTOMER:
            return "customer", s, clitics, has_ya
        elif tok in _ES_AGENT:
            return "agent", s, clitics, has_ya
        elif tok in _ES_BOUNDARY or not tok[0].isalpha():
            return "implicit", start, clitics, has_ya
        else:
            return "other", s, clitics, has_ya
    return "implicit", start, clitics, has_ya


# What may come between the modal and its verb ("debería ya de haber…"), as one set.
_ES_LEADING = _ES_ADVERBS | {"de", "que"}


def _verb_es(toks: list[str], auxiliary: bool) -> tuple[str, bool, list[str], int] | None:
    """Stem of the verb after the modal, whether it is perfect, its clitics, its index in `toks`.

    `auxiliary` means the modal is itself a form of "haber" ("si hubiera leído").
    """
    i = 0
    while i < len(toks) and toks[i] in _ES_LEADING:
        i += 1
    if i >= len(toks):
        return None
    first = toks[i]
    h = None if auxiliary else _HABER.fullmatch(first)
    if h or auxiliary:
        clitics = _CLITIC_SPLIT.findall(h.group(1)) if h else []
        i += 1 if h else 0
        while i < len(toks) and toks[i] in _ES_ADVERBS:
            i += 1
        if i >= len(toks):
            return None
        word = toks[i]
        if word in _ES_IRREGULAR:
            return _ES_IRREGULAR[word], True, clitics, i
        p = _PART.fullmatch(word)
        if not p:
            return None  # existential "debería haber un botón"
        return p.group(1), True, clitics, i
    inf = _INF.fullmatch(first)
    if not inf:
        return None
    return inf.group(1)[:-2], False, _CLITIC_SPLIT.findall(inf.group(2)), i


# "No tenías que hacer nada / preocuparte": the obligation itself is denied.
_ES_NO_NEED = _words(_ES["no_need"])


def _negated_need(text: str, start: int, following: list[str]) -> bool:
    """True for "no tenía(s) que <verb> nada": lack of obligation, not a past duty missed."""
    before = _tokens(text, max(0, start - 8), start)
    if not before or before[-1][0] != "no":
        return False
    return not _ES_NO_NEED.isdisjoint(following)


def _noticed(stem: str, subject: Subject, clitics: list[str], rest: list[str]) -> bool:
    """ "(Eso) lo deberías haber visto": the customer missed something given, not an expectation."""
    if stem not in _ES_PERCEPTION or subject != "customer" or not set(clitics) & _ES_DIRECT:
        return False
    return not (rest and _PART.fullmatch(rest[0]))


def _subject_after(toks: list[str]) -> bool:
    """True when the words right after the verb are its subject: "…revisado usted"."""
    return bool(toks) and toks[0] in _ES_CUSTOMER and toks[0] != "cliente"


def blame_es(text: str, start: int, end: int) -> Span | None:
    """Span of a judgement when the Spanish modal at [start, end) blames the customer, else None."""
    words = text[start:end].split()
    if not words:
        return None
    form = words[0]
    if form in _ES_AGENT_FORMS:
        return None
    subject, subj_start, pre_clitics, has_ya = _lookback_es(text, start)
    if subject == "agent":
        return None
    after = _words_after(text, end)
    # The subject may follow the modal: "debió usted revisar", "tendrías vos que haber…".
    inverted = next((k for k, t in enumerate(after[:3]) if t in _ES_CUSTOMER), None)
    if inverted is not None:
        subject, subj_start = "customer", start
        del after[inverted]
    if form in _ES_CUSTOMER_FORMS:
        subject = "customer"
    verb = _verb_es(after, form.startswith("hub"))
    if verb is None:
        return None
    stem, perfect, clitics, i = verb
    last = i  # the index in `after` of the span's last word
    # "esa cláusula la tenía que haber revisado usted": the subject comes last.
    late = subject == "implicit" or (subject == "other" and bool(pre_clitics))
    if late and _subject_after(after[i + 1 : i + 3]):
        subject, subj_start = "customer", start
        last = i + 1
    if subject == "other":
        return None
    if subject == "implicit" and form in _ES_PLURAL_FORMS:
        return None  # "deberían haberle avisado": most likely a third party
    if form.startswith("ten") and _negated_need(text, start, after[i + 1 : i + 4]):
        return None  # "no tenías que hacer nada": no obligation at all, not a reproach
    has_ya = has_ya or "ya" in after[:i]
    clitics = pre_clitics + clitics
    rest = after[i + 1 :]
    for k, word in enumerate(rest):
        if word in _ES_AGENT and (k == 0 or rest[k - 1] not in _ES_PREP):
            return None  # "debería haberle avisado yo"
    if subject == "implicit" and set(clitics) & {"te", "le", "les"}:
        return None  # the customer is the object: someone else should have acted
    if "se" in clitics and not set(clitics) & {"lo", "la", "los", "las"}:
        if stem not in _ES_REFLEXIVE_AGENTIVE and subject != "customer":
            return None  # passive "debería haberse procesado"
    elif subject == "implicit" and "se" in clitics:
        return None  # "se lo debería haber dicho": "se" stands for "le"
    acted = subject == "customer" and stem in _ES_CUSTOMER_AGENTIVE and "se" not in clitics
    if stem in _ES_NONAGENTIVE and not acted and not _noticed(stem, subject, clitics, rest):
        return None
    lecture = stem in _ES_LECTURE and (subject == "customer" or has_ya)
    if not (perfect or form in _ES_PAST_FORMS or lecture):
        return None
    # `last` counts the words after the modal without the inverted subject, when there was one.
    skipped = inverted is not None and last >= inverted
    return subj_start, _token_end(text, end, last + skipped)


# ---------------------------------------------------------------- English

_EN_PERFECT = _words(_EN["perfect"])
_EN_PAST = _words(_EN["past"])
_EN_CUSTOMER = _words(_EN["customer"])
_EN_AGENT = _words(_EN["agent"])
_EN_ADVERBS = _words(_EN["adverbs"])
_EN_BOUNDARY = _words(_EN["boundary"])
_EN_IRREGULAR = _words(_EN["irregular"])
_EN_NONAGENTIVE = _words(_EN["nonagentive"])
_EN_LECTURE = _words(_EN["lecture"])


def _lookback_en(text: str, start: int) -> tuple[Subject, int]:
    for tok, s in _tokens_before(text, start):
        if tok in _EN_ADVERBS or tok == "if":
            if tok == "if":
                return "implicit", start
            continue
        if tok in _EN_CUSTOMER:
            return "customer", s
        if tok in _EN_AGENT:
            return "agent", s
        if tok in _EN_BOUNDARY or not tok[0].isalpha():
            return "implicit", start
        return "other", s
    return "implicit", start


def blame_en(text: str, start: int, end: int) -> Span | None:
    """Span of a judgement when the English modal at [start, end) blames the customer, else None."""
    form = "_".join(text[start:end].split())
    subject, subj_start = _lookback_en(text, start)
    after = _words_after(text, end)
    i = 0
    if form == "had" and after and after[0] == "you":
        subject, i = "customer", 1  # "had you read the terms"
    elif form == "you'd":
        subject, subj_start = "customer", start
    if subject in ("agent", "other"):
        return None
    while i < len(after) and after[i] in _EN_ADVERBS:
        i += 1
    if i >= len(after):
        return None
    verb = after[i]
    rest = after[i + 1 :]
    if subject == "implicit" and "you" in rest:
        return None  # "should have told you": the agent speaking
    if form in _EN_PERFECT or form in ("had", "you'd"):
        if verb == "been" and rest and rest[0] in ("more", "careful", "aware", "paying"):
            return subj_start, _token_end(text, end, i + 1)
        if verb in _EN_NONAGENTIVE:
            return None
        if not (verb.endswith("ed") or verb in _EN_IRREGULAR or verb in _EN_LECTURE):
            return None
        return subj_start, _token_end(text, end, i)
    if form in _EN_PAST:
        return None if verb in _EN_NONAGENTIVE else (subj_start, _token_end(text, end, i))
    already = "already" in after[:i] or (rest[:1] and rest[0] in ("better",))
    if verb in _EN_LECTURE and (already or rest[:2] == ["by", "now"]):
        return subj_start, _token_end(text, end, i)
    return None
