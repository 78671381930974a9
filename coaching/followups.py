"""Follow-up promises: the agent's commitments to act later, each resolved to when it is due.

Times are read only after a promise verb is found, inside its sentence, in a bounded window:
after the verb first (nearest wins), then before it. Coordinated promises sharing one time
("le llamo y le confirmo mañana") give one follow-up. A promise with no time gives no
follow-up; `find_promises_without_time` lists those so the bot can ask "¿para cuándo?".

Not a promise's time: a time in a clause about the past ("la cita era el viernes"), a span
before another act joined by "y" ("ahora mismo lo miro y le digo algo"), a time past a comma
after an act done now ("le comparto el link, vence mañana"). A span asked for right before the
promise ("deme media hora y le aviso") is its time.

The excerpt (`original[start:end]`) is the whole promise clause, what the acknowledgement and
the reminder quote: from the verb or its time to the end of its clause — object, purpose and a
content clause ("Le confirmo en 1 minuto si hay stock") — stopping at the sentence's end, a
comma, a contrast or thanks, an offer ("si le parece"), or the next promise; at most
MAX_EXCERPT characters, cut at a word boundary.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from coaching.derived import compiled
from coaching.followup_times import given, scan
from coaching.followup_verbs import OFFER, VerbMatch, find_verbs, holds_any, word_automaton
from coaching.model import FollowUp, Lang, made
from coaching.normalize import Folded
from coaching.timeexpr import TimeToken, resolve

MAX_PROMISES = 20  # per message: bounds the cost of a pathological 40,000-character line
BACK = 100  # characters searched before a promise verb
FWD = 140  # characters searched after it
# A period ends a sentence, except in a number and inside or after "a.m." / "p.m.": those end one
# only when the next word starts with a capital (`_meridiem_ends`).
# (Written `[!?;\n]|(?<!\.m)(?<!\.\sm)\.(?!\d)(?!\s?m\b)`, but led by one class of the
# characters a match is, so `re` skips the others in a tight loop.)
_BOUND = compiled(r"[!?;\n.](?:(?<!\.)|(?<!\.m\.)(?<!\.\sm\.)(?!\d)(?!\s?m\b))")
_BOUND_CHARS = word_automaton(tuple("!?;\n."))  # what every match of `_BOUND` is
_MERIDIEM = compiled(r"\b[ap]\.\s?m\.(?=[ \t]+(\S))")  # group 1: the next word's start
_COORD = compiled(r",|\b(?:y|e|o|pero|luego|despues|and|then|but|or)\b")
_IF = compiled(r"\b(?:si|if)\b")
_CUT_AFTER = compiled(
    r"\b(?:si|if|cuando|when|unless|a\s+menos\s+que|en\s+caso\s+de\s+que|para\s+que"
    r"|a\s+fin\s+de\s+que|so\s+that|so\s+you|once\s+you)\b"
)
# A word each match of `_CUT_AFTER` holds (`holds_any`: most ranges have none, and skip it).
_CUT_WORDS = word_automaton(
    ("si", "if", "cuando", "when", "unless", "menos", "caso", "para", "fin", "so", "once")
)
_CLAUSE_END = compiled(
    r"\s*(?:[a-z]+\s*)??(?:[.!?;,\n]|$|\b(?:en\s+cuanto|apenas|cuando|tan\s+pronto|lo\s+antes"
    r"|a\s+la\s+brevedad|(?:por|x)\s+(?:correo|mail|email|whatsapp|aqui|aca|este\s+medio|telefono)"
    r"|as\s+soon\s+as|once|when)\b)"
)
# A time in a clause about the past ("la cita era el viernes, ya lo sabía") is a fact, not a
# promise's time. Only unambiguous past forms: folding drops the accent of "llamó"/"llamo".
_PAST_FACT = compiled(
    r"\b(?:era|eran|fue|fueron|estaba|estaban|estuvo|tenia|tenian|tuvo|habia|habian|hubo|iba"
    r"|iban|vencio|vencia|llegaba|was|were|had|did|used\s+to)\b"
)
# A word each match of `_PAST_FACT` holds (`holds_any`: most ranges have none, and skip it).
_PAST_WORDS = word_automaton((
    "era", "fue", "estaba", "estuvo", "tenia", "tuvo", "habia", "hubo", "iba", "vencio", "vencia",
    "llegaba", "was", "were", "had", "did", "used",
))  # fmt: skip
_CLAUSE_SEP = compiled(r"[,:;.!?\n]")
# What happens by itself in a clause: a delivery, an expectation, a deadline.
_EVENT = compiled(
    r"\b(?:deberia|deberian|debe|deben|llega|llegan|llegue|lleguen|llegaria|llegara|llegaran"
    r"|llegarle|llegarte|sale|salen|saldra|estara|estaran|vence|vencen|expira|caduca|aparece"
    r"|aparecera|arrives?|should|will\s+arrive|ships?|expires?)\b"
)
_AND = compiled(r"\b(?:y|e|and)\b")
# "le aviso en cuanto me confirmen, a más tardar mañana": a deadline past the comma is still the
# promise's, even for an act in the present.
_BY_LATEST = compiled(
    r"\b(?:a\s+mas\s+tardar|como\s+maximo|a\s+lo\s+sumo|no\s+later\s+than|at\s+the\s+latest)\b"
)
# A contrast between a time and the verb after it: the time is the other clause's ("mañana abrimos
# medio día, pero yo le escribo el lunes").
_CONTRAST = compiled(r"\b(?:pero|aunque|sin\s+embargo|but|although|though)\b")
_AND_END = (" y ", " e ", " and ", ",y ", ",e ", " y ya ", ",y ya ")
# Where the words of a promise end (the reminder quotes verb, object and purpose up to here):
# a new sentence or clause, a contrast, thanks, or an offer ("si le parece") that asks consent.
_CLAUSE_STOP = compiled(
    r"[,…()\[\]]|:(?!\d)|\s[-–—]\s|\b(?:pero|but|aunque|although|sin\s+embargo|however"
    r"|mientras\s+tanto|meanwhile|gracias|thanks|thank\s+you|saludos|regards)\b"
)
# What each match of `_CLAUSE_STOP` holds (a dash for "\s[-–—]\s"): most clauses have none.
_STOP_WORDS = word_automaton((
    ",", "…", "(", ")", "[", "]", ":", "-", "–", "—", "pero", "but", "aunque", "although", "sin",
    "however", "mientras", "meanwhile", "gracias", "thank", "saludos", "regards",
))  # fmt: skip
MAX_EXCERPT = 200  # characters of the promise a reminder quotes (cut at a word boundary)
_NO_TZ = ZoneInfo("UTC")
_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)


class PromiseSpan(NamedTuple):
    """A promise in the original text (offsets and excerpt), with or without a time."""

    start: int
    end: int
    excerpt: str


@dataclass(slots=True)
class _Item:
    """One promise verb with its sentence, span (folded offsets) and resolved due time."""

    verb: VerbMatch
    sentence: tuple[int, int]
    start: int
    end: int
    due: datetime | None
    merged: bool = False


def _meridiem_ends(folded: Folded) -> list[int]:
    """Folded offsets of the periods closing "a.m." / "p.m." before a capital: sentence ends
    ("Le llamo a las 5 p.m. Mañana le mando…"), unlike "a las 7:30 a.m. te llamo"."""
    if "m." not in folded.text:
        return []
    ends: list[int] = []
    for m in _MERIDIEM.finditer(folded.text):
        s, _ = folded.span(m.start(1), m.start(1) + 1)
        word = folded.original[s : s + 2]
        if word[:1].isupper() and not (word[:1] == "I" and not word[1:].isalpha()):
            ends.append(m.end() - 1)  # English "I" is a capital anywhere
    return ends


def _sentence(text: str, v: VerbMatch, ends: list[int]) -> tuple[int, int]:
    lo = v.start - BACK if v.start > BACK else 0
    hi = v.end + FWD if v.end + FWD < len(text) else len(text)
    start, end = lo, hi
    # One scan for both ends: the last bound before the verb, the first after it. (Where the
    # scan before it stopped at the verb, `_BOUND`'s lookaheads after a period saw nothing; here
    # they see the verb's first letter, which is neither a digit nor a lone "m".)
    for m in _BOUND.finditer(text, lo, hi):
        if m.start() < v.start:
            start = m.end()
        elif m.start() >= v.end:
            end = m.start()
            break
    if ends:  # few lines have an "a.m." closing a sentence: the others build no lists here
        start = max([start] + [e + 1 for e in ends if lo <= e < v.start])
        end = min([end] + [e for e in ends if v.end <= e < end])
    return start, end


def _region(text: str, verbs: list[VerbMatch], i: int, sent: tuple[int, int]) -> tuple[int, int]:
    """Where this promise's time may be: its sentence, split from neighbouring promises."""
    v = verbs[i]
    bs, ae = sent
    if i > 0 and verbs[i - 1].end > bs:
        bs = v.start
        for m in _COORD.finditer(text, verbs[i - 1].end, v.start):
            bs = m.end()
    if i + 1 < len(verbs) and verbs[i + 1].start < ae:
        ae = verbs[i + 1].start
        for m in _COORD.finditer(text, v.end, ae):
            ae = m.start()
    cond = None
    before = text[bs : v.start]  # (`in` on a slice: cheaper than two `find` calls)
    if "si" in before or "if" in before:
        for m in _IF.finditer(text, bs, v.start):  # (a condition needs "si" or "if")
            cond = m
    if cond is not None:  # "si me llama mañana, le confirmo": the time is the customer's
        comma = text.find(",", cond.end(), v.start)
        bs = comma + 1 if comma >= 0 else v.start
    if not holds_any(_CUT_WORDS, text, v.end, ae):
        return bs, ae
    cut = _CUT_AFTER.search(text, v.end, ae)
    return bs, cut.start() if cut else ae


def _past_fact(text: str, t: TimeToken, v: VerbMatch, bs: int, ae: int) -> bool:
    """The time sits in a clause about the past, apart from the promise verb.

    After the verb only the words between the verb and the time count (what follows the time
    is the promise's purpose: "…el jueves para confirmar que te llegó"); before the verb, the
    time's whole clause up to the verb.
    """
    lo = bs
    for m in _CLAUSE_SEP.finditer(text, bs, t.start):
        lo = m.end()
    if v.end <= t.start:
        return _PAST_FACT.search(text, max(lo, v.end), t.start) is not None
    m2 = _CLAUSE_SEP.search(text, t.end, v.start)
    hi = m2.start() if m2 else v.start
    return _PAST_FACT.search(text, lo, hi) is not None


# A time joined to a thing by "de/del" names when that thing is ("tu cita del jueves a las 10",
# "su pago de mañana", "the meeting on Friday at 3"), not when the promise is kept.
_THINGS = (
    r"\b(?:cita|turno|reserva|reservacion|pago|vuelo|reunion|entrega|visita|factura|cuota|clase"
    r"|consulta|vencimiento|corte|evento|funcion|partido|appointment|meeting|flight|payment"
    r"|booking|delivery|visit|class)s?\s+"
)
_LINKS = ("de", "del", "de la", "de las", "de los", "on", "for", "this", "next")
_LINK = "(?:" + "|".join(w.replace(" ", r"\s+") for w in _LINKS) + r")\s+"
# What `_OWNED` ends with before a time after one space (nearly always): its link's last word.
_LINK_ENDS = tuple(sorted({w.split()[-1] + " " for w in _LINKS}))
_OWNED = compiled(_THINGS + _LINK + "$")
_THING_BEFORE = compiled(_THINGS + "$")
_OWNED_START = compiled(_LINK)
_LINK_FIRST = tuple(sorted({w.split()[0] for w in _LINKS}))  # what `_OWNED_START` starts with


def _may_own(text: str, lo: int, start: int) -> bool:
    """False when `_OWNED` cannot match text[lo:start], told without its search: it ends in a
    link word and whitespace, so after a single space the link's last word must precede it."""
    if start - 2 >= lo and text[start - 1] == " " and not text[start - 2].isspace():
        return text.endswith(_LINK_ENDS, lo, start)
    return True


def _not_owned(text: str, toks: list[TimeToken]) -> list[TimeToken]:
    """`toks` without the times that belong to a thing, and those run on right after them."""
    out: list[TimeToken] = []
    owned_end: int | None = None
    for t in toks:
        lo = t.start - 24 if t.start > 24 else 0
        owned = (_may_own(text, lo, t.start) and _OWNED.search(text, lo, t.start) is not None) or (
            text.startswith(_LINK_FIRST, t.start)
            and _OWNED_START.match(text, t.start) is not None
            and _THING_BEFORE.search(text, lo, t.start) is not None
        )
        if owned or (owned_end is not None and 0 <= t.start - owned_end <= 1):
            owned_end = t.end
            continue
        out.append(t)
    return out


def _own_event(text: str, bs: int, t: TimeToken, v: VerbMatch) -> bool:
    """A time in an earlier clause about something else arriving or falling due ("debería
    llegarle mañana, le comparto la guía"): that clause's own, not the act done now."""
    sep = _CLAUSE_SEP.search(text, t.end, v.start)
    if sep is None:
        return False
    lo = bs
    for m in _CLAUSE_SEP.finditer(text, bs, t.start):
        lo = m.end()
    return _EVENT.search(text, lo, sep.start()) is not None


def _nearest_first(
    text: str, toks: list[TimeToken], v: VerbMatch, bs: int, split: int
) -> list[TimeToken]:
    """The times that may be the promise's, in the order they are taken: those after the verb
    up to `split` (its clause's comma), then those before it nearest first, then those past
    the comma. (One pass over the tokens: most promises have one or two.)"""
    after: list[TimeToken] = []
    before: list[TimeToken] = []
    later: list[TimeToken] = []
    for t in toks:
        if v.end <= t.start < split:
            after.append(t)
        # Past a comma: after the words before. Not for a present-tense act ("le comparto el
        # link, vence mañana"): the next clause's time is its own.
        elif t.start >= split and (not v.present or _BY_LATEST.search(text, split, t.start)):
            later.append(t)
        # "ahora mismo lo miro y le digo algo": a span before another act joined by "y" is
        # when that act happens; the promise after it names no time. A day or clock carries.
        if (
            t.end <= v.start
            and not (t.offset is not None and _AND.search(text, t.end, v.start))
            and not (v.present and _own_event(text, bs, t, v))
            and not _CONTRAST.search(text, t.end, v.start)
        ):
            before.append(t)
    before.reverse()
    return after + before + later


def _items(folded: Folded, lang: Lang, now: datetime, tz: ZoneInfo) -> list[_Item]:
    text = folded.text
    verbs = find_verbs(folded, lang, MAX_PROMISES)
    items: list[_Item] = []
    if not verbs:  # half the lines with a promise stem
        return items
    ends = _meridiem_ends(folded)
    for i, v in enumerate(verbs):
        sent = _sentence(text, v, ends)
        bs, ae = _region(text, verbs, i, sent)
        toks = _not_owned(text, scan(text, lang, bs, ae))
        if toks and holds_any(_PAST_WORDS, text, bs, ae) and _PAST_FACT.search(text, bs, ae):
            toks = [t for t in toks if not _past_fact(text, t, v, bs, ae)]
        comma = text.find(",", v.end, ae)
        ordered = _nearest_first(text, toks, v, bs, comma if comma >= 0 else ae)
        if text.endswith(_AND_END, bs, v.start):  # "deme media hora y le aviso"
            give = given(text, lang, bs, v.start)
            if give is not None:
                ordered.insert(0, give)
        res = resolve(ordered, now, tz)
        if res is None:
            items.append(_Item(v, sent, v.start, v.end, None))
        elif res.due is not None:
            start, end = _hull(v, res.tokens)
            items.append(_Item(v, sent, start, end, res.due))
        # a past day ("le enviamos ayer") is no promise at all
    if len(items) > 1:  # (one item has nothing to merge with)
        _merge(items)
    _extend(text, items, [v.start for v in verbs])
    return items


def _hull(v: VerbMatch, toks: tuple[TimeToken, ...]) -> tuple[int, int]:
    """From the first to the last character of the verb and its times (a loop: no lists)."""
    start, end = v.start, v.end
    for t in toks:
        if t.start < start:
            start = t.start
        if t.end > end:
            end = t.end
    return start, end


def _merge(items: list[_Item]) -> None:
    """Fold a timeless promise into a timed one of the same sentence (the next, else the last)."""
    for i, it in enumerate(items):
        if it.due is not None:
            continue
        target = next(
            (o for o in items[i + 1 :] if o.sentence == it.sentence and o.due is not None), None
        )
        if target is None:
            target = next(
                (o for o in reversed(items[:i]) if o.sentence == it.sentence and o.due), None
            )
        if target is not None:
            target.start, target.end = min(target.start, it.start), max(target.end, it.end)
            it.merged = True


def _clause_end(text: str, it: _Item, next_verb: int) -> int:
    """Where the promise's clause ends after `it.end`: verb, object and purpose, one sentence."""
    hi = min(len(text), max(it.end, it.start + MAX_EXCERPT + 1), it.sentence[1], next_verb)
    if next_verb < it.sentence[1]:  # "…y le escribo el viernes": stop before the "y"
        for m in _COORD.finditer(text, it.end, next_verb):
            hi = min(hi, m.start())
    if holds_any(_STOP_WORDS, text, it.end, hi):
        stop = _CLAUSE_STOP.search(text, it.end, hi)
        if stop is not None:
            hi = stop.start()
    # Every offer holds "si" or "parece": most clauses have neither, and skip the search.
    tail = text[it.end : hi]
    if "si" in tail or "parece" in tail:
        offer = OFFER.search(text, it.end, hi)
        if offer is not None:
            hi = offer.start()
    if hi - it.start > MAX_EXCERPT:  # cut at a word boundary
        cut = text.rfind(" ", it.end, it.start + MAX_EXCERPT + 1)
        hi = cut if cut >= 0 else it.end
    while hi > it.end and not (text[hi - 1].isalnum() or text[hi - 1] in ".'\"%"):
        hi -= 1
    end = max(hi, it.end)
    if end < len(text) and text[end] == "." and text.endswith(("a.m", "p.m"), 0, end):
        end += 1  # "a las 10 a.m.": the abbreviation keeps its period
    return end


def _extend(text: str, items: list[_Item], verbs_start: list[int]) -> None:
    """Widen each kept item to its whole clause (the reminder says what was promised)."""
    for it in items:
        if it.merged:
            continue
        i = bisect_left(verbs_start, it.end)  # the verbs are in text order
        nxt = verbs_start[i] if i < len(verbs_start) else len(text)
        it.end = _clause_end(text, it, nxt)


def _span(folded: Folded, it: _Item) -> PromiseSpan:
    s, e = folded.span(it.start, it.end)
    return PromiseSpan(s, e, folded.original[s:e])


def find_followups(folded: Folded, lang: Lang, now: datetime, tz: ZoneInfo) -> list[FollowUp]:
    """Commitments by the agent to act later, each resolved to an aware datetime in `tz`."""
    out: list[FollowUp] = []
    for it in _items(folded, lang, now, tz):
        if it.due is not None:  # (`_span`, without its call and named tuple)
            s, e = folded.span(it.start, it.end)
            fields = {"due": it.due, "start": s, "end": e, "excerpt": folded.original[s:e]}
            out.append(made(FollowUp, fields))
    return out


def find_promises_without_time(folded: Folded, lang: Lang) -> list[PromiseSpan]:
    """Promises that name no time ("lo reviso y le aviso"): the bot asks when."""
    out: list[PromiseSpan] = []
    text = folded.text
    for it in _items(folded, lang, _EPOCH, _NO_TZ):
        if it.due is not None or it.merged:
            continue
        if it.verb.present and not _CLAUSE_END.match(text, it.verb.end):
            continue  # "le envío el enlace": done now, not later
        out.append(_span(folded, it))
    return out


def promise_spans(folded: Folded, lang: Lang) -> list[PromiseSpan]:
    """Every promise, timed or not, as original spans (for highlighting)."""
    timed = [_span(folded, it) for it in _items(folded, lang, _EPOCH, _NO_TZ) if it.due is not None]
    return sorted(timed + find_promises_without_time(folded, lang))
