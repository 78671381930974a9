"""Follow-up promises: the agent's commitments to act later, each resolved to when it is due.

Times are read only after a promise verb is found, inside its sentence, in a bounded window:
after the verb first (nearest wins), then before it. Coordinated promises sharing one time
("le llamo y le confirmo mañana") give one follow-up. A promise with no time gives no
follow-up; `find_promises_without_time` lists those so the bot can ask "¿para cuándo?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from coaching.followup_times import scan
from coaching.followup_verbs import VerbMatch, find_verbs
from coaching.model import FollowUp, Lang
from coaching.normalize import Folded
from coaching.timeexpr import resolve

MAX_PROMISES = 20  # per message: bounds the cost of a pathological 40,000-character line
BACK = 100  # characters searched before a promise verb
FWD = 140  # characters searched after it
_BOUND = re.compile(r"[!?;\n]|\.(?!\d)(?!\s?m\b)(?<!\.m)(?<!\.\sm)")
_COORD = re.compile(r",|\b(?:y|e|o|pero|luego|despues|and|then|but|or)\b")
_IF = re.compile(r"\b(?:si|if)\b")
_CUT_AFTER = re.compile(
    r"\b(?:si|if|cuando|when|unless|a\s+menos\s+que|en\s+caso\s+de\s+que|para\s+que"
    r"|a\s+fin\s+de\s+que|so\s+that|so\s+you|once\s+you)\b"
)
_CLAUSE_END = re.compile(
    r"\s*(?:[a-z]+\s*)??(?:[.!?;,\n]|$|\b(?:en\s+cuanto|apenas|cuando|tan\s+pronto|lo\s+antes"
    r"|a\s+la\s+brevedad|por\s+(?:correo|mail|email|whatsapp|aqui|este\s+medio|telefono)"
    r"|as\s+soon\s+as|once|when)\b)"
)
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


def _sentence(text: str, v: VerbMatch) -> tuple[int, int]:
    lo = max(0, v.start - BACK)
    start = lo
    for m in _BOUND.finditer(text, lo, v.start):
        start = m.end()
    hi = min(len(text), v.end + FWD)
    m2 = _BOUND.search(text, v.end, hi)
    return start, m2.start() if m2 else hi


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
    for m in _IF.finditer(text, bs, v.start):
        cond = m
    if cond is not None:  # "si me llama mañana, le confirmo": the time is the customer's
        comma = text.find(",", cond.end(), v.start)
        bs = comma + 1 if comma >= 0 else v.start
    cut = _CUT_AFTER.search(text, v.end, ae)
    return bs, cut.start() if cut else ae


def _items(folded: Folded, lang: Lang, now: datetime, tz: ZoneInfo) -> list[_Item]:
    text = folded.text
    verbs = find_verbs(folded, lang, MAX_PROMISES)
    items: list[_Item] = []
    for i, v in enumerate(verbs):
        sent = _sentence(text, v)
        bs, ae = _region(text, verbs, i, sent)
        toks = scan(text, lang, bs, ae)
        comma = text.find(",", v.end, ae)
        split = comma if comma >= 0 else ae
        after = [t for t in toks if v.end <= t.start < split]
        later = [t for t in toks if t.start >= split]  # past a comma: after the words before
        before = [t for t in reversed(toks) if t.end <= v.start]
        res = resolve(after + before + later, now, tz)
        if res is None:
            items.append(_Item(v, sent, v.start, v.end, None))
        elif res.due is not None:
            start = min([v.start, *(t.start for t in res.tokens)])
            end = max([v.end, *(t.end for t in res.tokens)])
            items.append(_Item(v, sent, start, end, res.due))
        # a past day ("le enviamos ayer") is no promise at all
    _merge(items)
    return items


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


def _span(folded: Folded, it: _Item) -> PromiseSpan:
    s, e = folded.span(it.start, it.end)
    return PromiseSpan(s, e, folded.original[s:e])


def find_followups(folded: Folded, lang: Lang, now: datetime, tz: ZoneInfo) -> list[FollowUp]:
    """Commitments by the agent to act later, each resolved to an aware datetime in `tz`."""
    out: list[FollowUp] = []
    for it in _items(folded, lang, now, tz):
        if it.due is not None:
            s, e, excerpt = _span(folded, it)
            out.append(FollowUp(it.due, s, e, excerpt))
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
