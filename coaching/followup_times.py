"""Time-expression lexicon for promises: folded Spanish and English text to TimeTokens.

Number words, hour words, months and weekdays are data: coaching/lexicon/times.yml.

Every pattern is linear: alternations of literals with bounded gaps, no nested repetition.
Phone numbers, order numbers, menu options and "ya" never match: an hour needs a marker
("a las", "at", ":MM", "am/pm", "de la tarde", "hs") and may not run into more digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from re import _parser as sre  # type: ignore[attr-defined]
from typing import Any

from coaching import lexicon
from coaching.derived import Regexes, compiled, kept_value, word_alternation
from coaching.model import Lang
from coaching.prefilter import trie_pattern
from coaching.timeexpr import LATE, Clock, Day, DayKind, Meridiem, Offset, Part, TimeToken

FEW = -1  # "unos minutos", "a few hours": see _FEW
_FEW = {"m": 15, "h": 3, "d": 3, "w": 2}


def _words(raw: object, where: str) -> dict[str, int]:
    """A checked word -> number mapping from the lexicon file ("few" is FEW)."""
    if not isinstance(raw, dict):
        raise ValueError(f"lexicon/times.yml: {where} must be a mapping")
    out: dict[str, int] = {}
    for k, v in raw.items():
        value = FEW if v == "few" else v
        if not isinstance(k, str) or isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"lexicon/times.yml: {where}: bad entry {k!r}: {v!r}")
        out[k] = value
    return out


def _load_lexicon() -> dict[Lang, dict[str, dict[str, int]]]:
    """Number words, hour words, months and weekdays per language, from coaching/lexicon."""
    data = lexicon.load("times.yml")
    out: dict[Lang, dict[str, dict[str, int]]] = {}
    lang: Lang
    for lang in ("es", "en"):
        section = data[lang]
        nums = _words(section["numbers"], f"{lang}.numbers")
        hours = {w: nums[w] for w in section["hour_words"]}
        out[lang] = {
            "numbers": nums,
            "hour_words": hours,
            "months": _words(section["months"], f"{lang}.months"),
            "weekdays": _words(section["weekdays"], f"{lang}.weekdays"),
        }
    return out


_LEX = _load_lexicon()
_ES_NUM = _LEX["es"]["numbers"]
_EN_NUM = _LEX["en"]["numbers"]
_ES_HOUR_WORDS = _LEX["es"]["hour_words"]
_EN_HOUR_WORDS = _LEX["en"]["hour_words"]
_ES_MONTHS = _LEX["es"]["months"]
_EN_MONTHS = _LEX["en"]["months"]
_ES_WD = _LEX["es"]["weekdays"]
_EN_WD = _LEX["en"]["weekdays"]
_PARTS: dict[str, Part] = {
    "manana": "morning", "madrugada": "morning", "tarde": "afternoon", "noche": "night",
    "mediodia": "noon", "morning": "morning", "afternoon": "afternoon", "arvo": "afternoon",
    "evening": "night",
    "night": "night", "tonight": "night", "tonite": "night", "noon": "noon",
}  # fmt: skip
# Fixed spans and moments named by a phrase (whitespace collapsed): minutes after the message.
_SPANS = {
    "media hora": 30, "un cuarto de hora": 15, "tres cuartos de hora": 45, "un rato": 30,
    "un ratito": 30, "un momento": 15, "un momentito": 15, "unos momentos": 15,
    "un instante": 15, "unos instantes": 15, "breve": 15, "seguida": 15, "un segundo": 15,
    "un minutito": 15, "un minutico": 15, "un segundito": 15, "un momentico": 15,
    "un ratico": 30, "media horita": 30, "media horica": 30, "la proxima hora": 60,
    "las proximas horas": 180,
    "los proximos dias": 3 * 1440, "enseguida": 15, "en seguida": 15, "ahorita": 15,
    "ahoritita": 15, "orita": 15, "al rato": 30, "al ratito": 30,
    "lo antes posible": 60, "a la brevedad": 60, "cuanto antes": 60,
    "half an hour": 30, "a half hour": 30, "a bit": 30, "a little bit": 30, "a while": 30,
    "a little while": 30, "a moment": 15, "a sec": 15, "a second": 15, "a jiffy": 15,
    "the next hour": 60, "the hour": 60, "the next few hours": 180, "the next few days": 3 * 1440,
    "the next couple of days": 2 * 1440, "shortly": 15, "right away": 15, "straight away": 15,
    "momentarily": 15, "asap": 60, "as soon as possible": 60,
}  # fmt: skip


def _alt(words: Iterable[str]) -> str:
    """Regex alternation of literal phrases, longest first, any run of spaces between words.

    Phrases of one length go in alphabetical order: the pattern text is then the same in every
    run (a set's order is not), so the compiled code kept for it (coaching/derived.py) is found.
    """
    out = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in out)


_AM = r"(?P<{0}>a\.?\s?m\b\.?|p\.?\s?m\b\.?)"
_NODIG = r"(?![\d:]|[-./]\d)"  # an hour that runs into more digits is a phone or order number
# After a weekday, a number is its day of the month ("el jueves 12") unless it reads as an hour.
_NOT_HOUR = (
    r"(?![:./]\d|\s*(?:hs|hrs|h|horas?|am|pm|a\.\s?m|p\.\s?m|o'?clock)\b"
    r"|\s+(?:de\s+la|del\s+mediodia|y\s+media|y\s+cuarto|menos|en\s+punto|sharp)\b)"
)
_ES_UNIT = (
    r"minutitos?|minuticos?|minutos?|mins?|horitas?|horas?|hrs?|h|dias?\s+(?P<rb>habil(?:es)?|laborables?|laborales?)"
    r"|dias?|semanas?"
)
_EN_UNIT = r"minutes?|mins?|hours?|hrs?|h|(?P<rb>business|working)\s+days?|days?|weeks?"
_ES_SPAN_IN = _alt(
    k for k in _SPANS if k.split()[0] in ("media", "un", "tres", "unos", "breve", "seguida")
    or k.startswith(("la prox", "las prox", "los prox"))
)  # fmt: skip
_ES_SPAN_ALONE = _alt(
    # Not "ahora mismo": an act done now ("te paso ahora mismo el enlace"), not a follow-up.
    ["enseguida", "en seguida", "ahorita", "ahoritita", "orita", "al rato",
     "al ratito", "lo antes posible", "a la brevedad", "cuanto antes"]
)  # fmt: skip
_EN_SPAN_IN = _alt(
    k for k in _SPANS if k.startswith(("half", "a half", "a bit", "a little", "a while",
    "a moment", "a sec", "a jiffy", "the "))
)  # fmt: skip
_EN_SPAN_ALONE = _alt(
    ["shortly", "right away", "straight away", "momentarily", "asap", "as soon as possible"]
)


def _es_alternatives() -> list[str]:
    num = r"\d{1,3}|" + _alt(_ES_NUM)
    hour = r"\d{1,2}|" + _alt(_ES_HOUR_WORDS)
    months = _alt(_ES_MONTHS)
    wd = _alt(_ES_WD)
    am = _AM.format
    hm = r"\d{1,2}(?:[:.h][0-5]\d)?(?:\s*(?:hs|hrs|h|am|pm)\b\.?)?"
    hours = rf"(?:de|entre)\s+(?:las\s+)?{hm}\s+(?:a|hasta|y)\s+(?:las\s+)?{hm}(?:\s+horas\b)?"
    return [
        # Opening hours name no promised time: "de lunes a viernes de 9:00 a 21:00".
        rf"(?P<sched>\b(?:de\s+)?(?:{wd})\s+(?:a|al|hasta)\s+(?:el\s+)?(?:{wd})\b"
        rf"(?:\s*,?\s*{hours}{_NODIG})?|\bde\s+{hm}\s+a\s+(?:las\s+)?{hm}(?:\s+horas\b)?"
        r"(?![\d:]|\s+(?:dias|semanas|minutos|mins|meses|anos)\b))",
        # "la factura del día 3": a date that names a thing, not when (see _b_ref).
        r"(?P<ref>\bdel\s+(?:dia\s+)?(?P<refd>\d{1,2}|primero)\b(?![:./]\d)"
        r"(?P<refto>\s+(?:al|a)\s+(?:dia\s+)?\d{1,2}\b(?![:./]\d))?(?:\s+de\s+"
        rf"(?P<refmon>{months})\b\.?(?:\s+(?:de|del)\s+(?P<refyy>\d{{4}}))?)?)",
        r"(?P<rel>\b(?:en|dentro\s+de|antes\s+de|como\s+maximo\s+en|a\s+mas\s+tardar"
        r"\s+en)\s+(?:(?:los|las)\s+(?:proxim[oa]s|siguientes)\s+)?(?:(?:unos|unas|como"
        rf"|aproximadamente)\s+)?(?:(?P<rn>{num})(?:\s*(?:a|o|-)\s*(?P<rn2>{num}))?\s*"
        rf"(?P<ru>{_ES_UNIT})\b(?P<rh>\s+y\s+media)?|(?P<rq>{_ES_SPAN_IN})\b"
        r"|(?P<rbare>\d{1,2})(?=\s*(?:[,.!?;]|$))))",
        rf"(?P<relw>\b(?:{_ES_SPAN_ALONE})\b(?!\s+mismo\b))",
        r"(?P<past>\b(?:ayer|anoche|anteayer|antier|antenoche|hace\s+(?:\w+\s+){0,2}?"
        r"(?:dias?|horas?|minutos?|mins?|semanas?|meses|mes|rato|ratito|momento|poco)"
        r"|(?:la\s+semana|el\s+mes|el\s+ano)\s+pasad[oa])\b)",
        r"(?P<date>\b(?:el\s+)?(?:dia\s+)?(?P<dd>\d{1,2}|primero)\s+de\s+"
        rf"(?P<mon>{months})\b\.?(?:\s+(?:de|del)\s+(?P<yy>\d{{4}}))?)",
        r"(?P<dnum>(?<![\d/.\-])(?P<n1>\d{1,2})/(?P<n2>\d{1,2})(?:/(?P<n3>\d{4}|\d{2}))?"
        r"(?![\d/]))",
        r"(?P<dom>\bel\s+dia\s+(?P<domd>\d{1,2})\b(?![:.]\d))",
        rf"(?P<wday>\b(?:(?:el|este|del|al)\s+)?(?:(?:proximo|siguiente)\s+)?(?P<wd>{wd})\b"
        r"(?:\s+(?P<wdpast>pasado)\b(?!\s+manana)|\s+(?:de\s+la\s+)?(?P<wdnext>proxima\s+semana"
        r"|semana\s+que\s+viene|semana\s+proxima|semana\s+entrante|otra\s+semana)\b"
        r"|\s+(?:proximo|que\s+viene|entrante)\b"
        rf"|\s+(?P<wdd>\d{{1,2}})\s+de\s+(?P<wdmon>{months})\b|\s+(?P<wdn>\d{{1,2}})\b{_NOT_HOUR})?)",
        r"(?P<wfri>\b(?:esta\s+(?:misma\s+)?semana|(?:antes\s+del?|a|al|para\s+el|hacia\s+el)"
        r"\s+(?:fin|final|finales)\s+de\s+(?:la|esta)\s+semana|a\s+finales\s+de\s+semana)\b)",
        r"(?P<nweek>\b(?:la\s+)?(?:proxima\s+semana|semana\s+(?:que\s+viene|proxima|entrante))\b)",
        r"(?P<wend>\b(?:el|este|durante\s+el|en\s+el|para\s+el)\s+(?:fin\s+de\s+semana|finde)\b)",
        r"(?P<nmonth>\b(?:el\s+)?(?:proximo\s+mes|mes\s+(?:que\s+viene|proximo|entrante))\b)",
        r"(?P<mend>\b(?:a|al|para|hacia|hasta|antes\s+de|antes\s+del|como\s+tarde\s+a)\s+(?:el\s+)?"
        r"(?:fin|final|finales)\s+(?:de|del)\s+(?:este\s+)?mes\b)",
        r"(?P<midn>\b(?:(?:a|antes\s+de|para|hasta|hacia)\s+(?:la\s+)?)?medianoche\b)",
        r"(?P<pm>\bpasado\s+manana\b)",
        r"(?P<clk>\b(?:a|antes\s+de|despues\s+de|a\s+eso\s+de|como\s+a|cerca\s+de|alrededor\s+de"
        r"|a\s+partir\s+de|para|hasta|sobre|tipo|entre|desde)\s+las?\s+"
        rf"(?P<ch>{hour})(?:[:.h](?P<cm>[0-5]\d)|\s+y\s+(?P<cmw>media|cuarto)"
        rf"|\s+menos\s+(?P<cmm>cuarto))?(?:\s*{am('cmer')}|\s+de\s+la\s+(?P<cpart>manana"
        r"|tarde|noche|madrugada)|\s+del\s+(?P<cnoon>mediodia)|\s*(?:hs|hrs|h|horas)\b\.?"
        rf"|\s+en\s+punto\b)?{_NODIG})",
        r"(?P<tipo>\btipo\s+(?P<th>\d{1,2})(?:[:.](?P<tm>[0-5]\d))?(?:\s*(?:hs|h)\b\.?)?"
        rf"{_NODIG})",
        r"(?P<hhmm>(?<![\d:./\-])(?P<hh>\d{1,2}):(?P<mm>[0-5]\d)(?:\s*"
        rf"{am('hmer')}|\s*(?:hs|hrs|h)\b\.?|\s+de\s+la\s+(?P<hpart>manana|tarde|noche"
        rf"|madrugada))?{_NODIG})",
        r"(?P<hmer2>(?<![\d:./\-])(?P<mh>\d{1,2})\s*(?:(?P<mmer>(?:am|pm)\b|a\.\s?m\b\.?|p\.\s?m\b\.?)"
        r"|hs\b|hrs\b)\.?)",
        r"(?P<hpart2>(?<![\d:./\-])(?P<ph>\d{1,2})\s+(?:de\s+la\s+(?P<p2part>manana|tarde"
        r"|noche|madrugada)|del\s+(?P<pnoon>mediodia))\b)",
        r"(?P<first>\b(?:a\s+)?(?:primera\s+hora(?:\s+de\s+la\s+manana|\s+del\s+dia)?"
        r"|tempranito|temprano)\b)",
        r"(?P<esta>\besta\s+(?P<estap>manana|tarde|noche)\b)",
        r"(?P<ppart>\b(?:por|en|durante|a)\s+la\s+(?P<pp>manana|tarde|noche)\b)",
        r"(?P<noon>\b(?:(?:al|a|antes\s+del|para\s+el|hacia\s+el)\s+)?medio\s?dia\b)",
        r"(?P<late>\b(?:mas\s+tarde|en\s+el\s+transcurso\s+del\s+dia|en\s+el\s+transcurso\s+de"
        r"\s+hoy|durante\s+el\s+dia|en\s+el\s+dia|a\s+lo\s+largo\s+del\s+dia|antes\s+de\s+que"
        r"\s+(?:termine|acabe|finalice)\s+el\s+dia|(?:al|a|antes\s+del?|para\s+el|hacia\s+el|hasta\s+el)"
        r"\s+(?:fin|final)\s+del?\s+dia|a\s+ultima\s+hora"
        r"(?:\s+del\s+dia)?|antes\s+del\s+cierre|al\s+cierre(?:\s+del\s+dia)?)\b)",
        r"(?P<hoy>\bhoy(?:\s+mismo)?\b)",
        r"(?P<tmw>(?<!la )(?<!una )(?<!cada )\bmanana\b)",
    ]


def _en_alternatives(ago: bool = True) -> list[str]:
    """The English time alternatives; `ago`: with "<one or two words> ago", which may start at
    any word (no lead: `scan` leaves it out of a region without "ago")."""
    num = r"\d{1,3}|" + _alt(_EN_NUM)
    months = _alt(_EN_MONTHS)
    wd = _alt(_EN_WD)
    am = _AM.format
    dparts = r"(?:\s+(?P<{0}>morning|afternoon|evening|night))?"
    hm = r"\d{1,2}(?::[0-5]\d)?(?:\s*(?:am|pm|a\.m\.|p\.m\.))?"
    hours = rf"(?:from\s+)?{hm}\s*(?:to|until|till|-|–)\s*{hm}\b"
    return [
        rf"(?P<sched>\b(?:from\s+)?(?:{wd})\s*(?:to|through|thru|till|until|-|–)\s*(?:{wd})\b"
        rf"(?:,?\s+{hours}{_NODIG})?|\bfrom\s+{hm}\s+(?:to|until|till)\s+{hm}\b{_NODIG}"
        r"|(?<![\d:])\d{1,2}(?::[0-5]\d)?\s*(?:am|pm)\s*(?:-|–|to)\s*\d{1,2}(?::[0-5]\d)?\s*"
        r"(?:am|pm)\b)",
        rf"(?P<ref>\b(?:from|dated)\s+(?:the\s+)?(?:{months})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b)",
        r"(?P<rel>\b(?:in|within|in\s+the\s+next|over\s+the\s+next|within\s+the\s+next)\s+"
        rf"(?:(?:about|around|roughly|approximately)\s+)?(?:(?P<rn>{num})(?:\s*(?:-|to|or)\s*"
        rf"(?P<rn2>{num}))?\s*(?P<ru>{_EN_UNIT})\b(?P<rh>\s+and\s+a\s+half)?"
        rf"|(?P<rq>{_EN_SPAN_IN})\b))",
        rf"(?P<relw>\b(?:{_EN_SPAN_ALONE})\b)",
        r"(?P<past>\b(?:yesterday|last\s+(?:night|week|month|time|monday|tuesday|wednesday"
        r"|thursday|friday|saturday|sunday)|earlier\s+today"
        + (r"|(?:\w+\s+){1,2}?ago" if ago else "")
        + r")\b)",
        rf"(?P<date>\b(?:(?P<mon>{months})\.?\s+(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?"
        rf"|(?:the\s+)?(?P<dd2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{months})\.?)"
        r"\b(?:,?\s+(?P<yy>\d{4}))?)",
        r"(?P<dnum>(?<![\d/.\-])(?P<n1>\d{1,2})/(?P<n2>\d{1,2})(?:/(?P<n3>\d{4}|\d{2}))?"
        r"(?![\d/]))",
        r"(?P<dom>\b(?:on|by|before)\s+the\s+(?P<domd>\d{1,2})(?:st|nd|rd|th)\b)",
        r"(?P<wday>\b(?:(?:on|by|this\s+coming|this|coming|next|before|until|till)\s+)?"
        rf"(?P<wd>{wd})\b(?:\s+(?P<wdnext>of\s+next\s+week|next\s+week)\b"
        rf"|,?\s+(?P<wdmon>{months})\.?\s+(?P<wdd>\d{{1,2}})(?:st|nd|rd|th)?\b"
        rf"|,?\s+(?:the\s+(?P<wdn>\d{{1,2}})(?:st|nd|rd|th)?|(?P<wdn2>\d{{1,2}})(?:st|nd|rd|th))"
        rf"\b{_NOT_HOUR})?" + dparts.format("wdpart") + ")",
        r"(?P<wfri>\b(?:later\s+this\s+week|this\s+week|(?:by\s+)?(?:the\s+)?end\s+of\s+"
        r"(?:the|this)\s+week|before\s+the\s+weekend)\b)",
        r"(?P<nweek>\b(?:early\s+)?next\s+week\b)",
        r"(?P<wend>\b(?:this|the|over\s+the|on\s+the|during\s+the)\s+weekend\b)",
        r"(?P<nmonth>\bnext\s+month\b)",
        r"(?P<mend>\b(?:(?:by|at|before|until|till)\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month"
        r"\b|\bmonth[-\s]end\b)",
        r"(?P<midn>\b(?:(?:at|by|before|around|until|till)\s+)?midnight\b)",
        r"(?P<pm>\b(?:the\s+)?day\s+after\s+tomorrow\b)",
        r"(?P<clk>\b(?:at|by|before|around|after|until|till|about|no\s+later\s+than)\s+"
        rf"(?:(?:around|about|approximately)\s+)?(?P<ch>\d{{1,2}})(?::(?P<cm>[0-5]\d))?"
        rf"(?:\s*{am('cmer')}|\s*o'?clock\b|\s+sharp\b)?{_NODIG}(?!\s*(?:minutes?|mins?"
        r"|hours?|hrs?|days?|weeks?|%|percent|dollars|items?|orders?|tickets?)\b))",
        r"(?P<half>\bhalf\s+past\s+(?P<hph>\d{1,2}|" + _alt(_EN_HOUR_WORDS) + r")\b)",
        rf"(?P<hhmm>(?<![\d:./\-])(?P<hh>\d{{1,2}}):(?P<mm>[0-5]\d)(?:\s*{am('hmer')})?"
        rf"{_NODIG})",
        r"(?P<hmer2>(?<![\d:./\-])(?P<mh>\d{1,2})\s*(?:(?P<mmer>(?:am|pm)\b|a\.\s?m\b\.?|p\.\s?m\b\.?)"
        r"|o'?clock\b)\.?)",
        r"(?P<first>\b(?:first\s+thing(?:\s+in\s+the\s+morning)?|early\s+(?:in\s+the\s+)?"
        r"morning)\b)",
        r"(?P<esta>\b(?:this\s+(?P<estap>morning|afternoon|evening|arvo)|(?P<tonight>tonight|tonite))"
        r"\b)",
        r"(?P<ppart>\b(?:in|during)\s+the\s+(?P<pp>morning|afternoon|evening)\b|\bat\s+night\b)",
        r"(?P<noon>\b(?:(?:at|by|before|around|until)\s+)?(?:noon|midday|lunchtime|lunch\s+time)"
        r"\b)",
        r"(?P<late>\b(?:later\s+today|later\s+on|later|(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?"
        r"day|eod|cob|close\s+of\s+business|before\s+the\s+end\s+of\s+(?:the\s+)?day)\b)",
        r"(?P<hoy>\btoday\b)",
        r"(?P<tmw>\b(?:tomorrow|tmrw|tmr|tomorow)\b" + dparts.format("tmpart") + ")",
    ]


# Where every match may start, read further than `derived.lead` does: through white space (as
# "\s+") into the next words, so "el", "la", "de", "a" or "en" passes only before the words a
# time can go on with ("el lunes", "a las 5"), not before most other words.
_CUT = "\x02"  # the strings end here: anything may follow
_SPACE_RUN = "\x01"  # one or more white space characters
_DIGIT = "\x00"
_DEEP_MAX = 4000  # strings at most (None: no lookahead)
_DEEP_VERSION = "3"  # part of the key of kept ones: changed with `_starts`
_SPACE_CLASS = [(sre.CATEGORY, sre.CATEGORY_SPACE)]
_DIGIT_CLASS = [(sre.CATEGORY, sre.CATEGORY_DIGIT)]
_CASE_FLAGS = re.IGNORECASE | re.VERBOSE  # literals that are not the text's characters


def _starts(items: list[Any], budget: int) -> set[str] | None:
    """Strings one of which every match of `items` starts with (`_CUT` ends one that stops
    early: anything may follow), up to `budget` characters; None when there are too many."""
    if budget == 0 or not items:
        return {_CUT}
    (op, av), rest = items[0], items[1:]
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return _starts(rest, budget)  # zero-width: what follows starts the match
    if op == sre.LITERAL:
        return _then(chr(av), rest, budget)
    if op == sre.IN and list(av) == _DIGIT_CLASS:
        return _then(_DIGIT, rest, budget)
    if op == sre.IN and list(av) == _SPACE_CLASS:
        return _then(_SPACE_RUN, rest, budget)  # one space read as a run: still true
    if op == sre.IN and len(av) <= 8 and all(o == sre.LITERAL for o, _ in av):
        return _union([_then(chr(v), rest, budget) for _, v in av])
    if op == sre.SUBPATTERN and not av[1] & _CASE_FLAGS:  # (a group with its own case: any)
        return _starts([*av[-1], *rest], budget)
    if op == sre.BRANCH:
        return _union([_starts([*branch, *rest], budget) for branch in av[1]])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        lo, _, body = av
        if list(body) == [(sre.IN, _SPACE_CLASS)]:  # "\s+", "\s*": a run, then what follows
            run = _then(_SPACE_RUN, rest, budget)
            return run if lo else _union([run, _starts(rest, budget)])
        if lo == 0 and av[1] == 1:  # "(?:…)?": the body and what follows, or what follows
            return _union([_starts([*body, *rest], budget), _starts(rest, budget)])
        first = _starts(list(body), budget)  # a match of the body, cut: a start of it
        if first is not None:
            first = {s if s.endswith(_CUT) else s + _CUT for s in first}
        return first if lo else _union([first, _starts(rest, budget)])
    return {_CUT}  # any other item: anything may follow


def _then(head: str, rest: list[Any], budget: int) -> set[str] | None:
    tail = _starts(rest, budget - 1)
    return None if tail is None else {head + t for t in tail}


def _union(sets: list[set[str] | None]) -> set[str] | None:
    out: set[str] = set()
    for s in sets:
        if s is None:
            return None
        out |= s
        if len(out) > _DEEP_MAX:
            return None
    return out


def deep_lead(pattern: str, budget: int = 6) -> str:
    """A lookahead source true wherever a match of `pattern` can start (`_starts`, made a trie
    with "\\s+" for a run of white space), kept like `derived.kept_value` (the parse is done
    once, not at every start-up); "" when none is known."""

    def make() -> str:
        tree = sre.parse(pattern)
        found = None if tree.state.flags & _CASE_FLAGS else _starts(list(tree), budget)
        if found is None or _CUT in found:
            return ""
        words = {w.removesuffix(_CUT) for w in found}
        return "(?=" + trie_pattern(words, {_SPACE_RUN: r"\s+", _DIGIT: r"\d"}) + ")"

    made = kept_value("deep_lead", f"{_DEEP_VERSION}|{budget}|{pattern}", make)
    return made if isinstance(made, str) else make()


def guarded(alternatives: list[str], budget: int = 6) -> str:
    """`derived.word_alternation(alternatives)` behind the `deep_lead` of all of them."""
    whole = r"\b(?:" + "|".join(alternatives) + ")"
    return word_alternation(alternatives, deep_lead(whole, budget))


# Every alternative starts a word (each opens with "\b"); "(?=\w)" fails at once elsewhere, a
# lookahead of the words a time can start with (`derived.lead`; none for English, whose "<any
# two words> ago" starts anywhere) fails most word starts before the alternatives run, and each
# alternative's own lookahead most alternatives at the others (`derived.word_alternation`:
# `scan` costs half what it did).
_KEPT = Regexes("times")  # compiled code kept between runs (coaching/derived.py)
_ES_ALTS, _EN_ALTS = _es_alternatives(), _en_alternatives()
_ES_ALL, _EN_ALL = (r"\b(?:" + "|".join(alts) + ")" for alts in (_ES_ALTS, _EN_ALTS))
_ES = _KEPT.compile(guarded(_ES_ALTS))
_EN = _KEPT.compile(guarded(_EN_ALTS))
# The same without "<words> ago", for a region without "ago" (where it cannot match): every
# alternative then has its lead, and the regex its own.
_EN_NO_AGO = _KEPT.compile(guarded(_en_alternatives(ago=False)))
_KEPT.save()
_NUMS: dict[Lang, dict[str, int]] = {"es": _ES_NUM, "en": _EN_NUM}
_MONTHS: dict[Lang, dict[str, int]] = {"es": _ES_MONTHS, "en": _EN_MONTHS}
_WDS: dict[Lang, dict[str, int]] = {"es": _ES_WD, "en": _EN_WD}
_HOUR_WORDS: dict[Lang, dict[str, int]] = {"es": _ES_HOUR_WORDS, "en": _EN_HOUR_WORDS}


# `TimeToken(...)` through its slots' descriptors, as coaching/normalize.py makes `Folded`: the
# frozen dataclass's own __init__ calls object.__setattr__ for each of its six fields (about
# half of what making one cost, and `scan` makes one per time).
_NEW = object.__new__
_SET_START, _SET_END, _SET_DAY, _SET_PART, _SET_CLOCK, _SET_OFFSET = (
    TimeToken.__dict__[name].__set__ for name in ("start", "end", "day", "part", "clock", "offset")
)


def _token_of(
    start: int,
    end: int,
    day: Day | None = None,
    part: Part | None = None,
    clock: Clock | None = None,
    offset: Offset | None = None,
) -> TimeToken:
    """`TimeToken(start, end, day, part, clock, offset)`, the same object made faster."""
    tok: TimeToken = _NEW(TimeToken)
    _SET_START(tok, start)
    _SET_END(tok, end)
    _SET_DAY(tok, day)
    _SET_PART(tok, part)
    _SET_CLOCK(tok, clock)
    _SET_OFFSET(tok, offset)
    return tok


def _key(s: str) -> str:
    """`s` with its white space runs made one space, and none at either end."""
    return " ".join(s.split())  # (what `_WS.sub(" ", s.strip())` gives, without a regex)


def _num(s: str, lang: Lang) -> int:
    return int(s) if s.isdigit() else _NUMS[lang].get(_key(s), 1)


def _g(m: re.Match[str], name: str) -> str | None:
    """A group that only one language's pattern has."""
    return m.group(name) if name in m.re.groupindex else None


def _meridiem(s: str | None) -> Meridiem:
    if not s:
        return ""
    return "am" if s[0] == "a" else "pm" if s[0] == "p" else ""


# The few clock times messages name, each made once: a frozen dataclass costs about a
# microsecond to build, a look-up here a fifth of that (and the Clock is immutable).
@lru_cache(maxsize=512)
def _clock(h: str, m: str | None, mer: str | None, part: Part | None, lang: Lang) -> Clock | None:
    hour = int(h) if h.isdigit() else _HOUR_WORDS[lang].get(_key(h), -1)
    if not 0 <= hour <= 23:
        return None
    return Clock(hour, int(m) if m else 0, _meridiem(mer), part, len(h) == 2 and h[0] == "0")


def _offset(m: re.Match[str], lang: Lang) -> Offset | None:
    if m["rq"]:
        return Offset(minutes=_SPANS.get(_key(m["rq"]), 30))
    bare = _g(m, "rbare")
    if bare:  # "te llamo en 5": minutes
        return Offset(minutes=int(bare))
    n = _num(m["rn2"] or m["rn"], lang)
    unit = m["ru"][0]
    unit = "w" if unit in "sw" else unit if unit in "hd" else "m"
    if m["rb"]:  # "en 3 días hábiles", "in 2 business days"
        unit = "d"
    if n == FEW:
        n = _FEW[unit]
    if m["rb"]:
        return Offset(bdays=n)
    if unit == "m":
        return Offset(minutes=n)
    if unit == "h":
        return Offset(minutes=n * 60 + (30 if m["rh"] else 0))
    return Offset(days=n * (7 if unit == "w" else 1))


def _token(m: re.Match[str], lang: Lang) -> TimeToken | None:
    """Build the token for one match of the lexicon (None: it looked like a time but is not)."""
    kind = m.lastgroup
    s, e = m.span()
    build = _BUILDERS.get(kind or "")
    return build(m, lang, s, e) if build else None


def _b_rel(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    return _token_of(s, e, offset=_offset(m, lang))


def _b_relw(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    return _token_of(s, e, offset=Offset(minutes=_SPANS.get(_key(m["relw"]), 30)))


def _b_past(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    return _token_of(s, e, day=_PAST)


def _b_date(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    dd = m["dd"] or m["dd2"]
    mon = _MONTHS[lang].get(m["mon"] or m["mon2"], 0)
    day = 1 if dd == "primero" else int(dd)
    return _token_of(s, e, day=Day("date", mon, day, int(m["yy"] or 0)))


def _b_dnum(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    a, b = int(m["n1"]), int(m["n2"])
    day, mon = (a, b) if lang == "es" else (b, a)
    year = int(m["n3"] or 0)
    year = year + 2000 if 0 < year < 100 else year
    if not (1 <= mon <= 12 and 1 <= day <= 31):
        return None
    return _token_of(s, e, day=Day("date", mon, day, year))


def _b_dom(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    d = int(m["domd"])
    return _token_of(s, e, day=Day("dom", d)) if 1 <= d <= 31 else None


# The days a token names without a number, made once (frozen, so shared).
_WEEKDAY = {
    (kind, wd): Day(kind, wd)
    for kind in ("weekday", "weekday_next")
    for wd in {*_ES_WD.values(), *_EN_WD.values()}
}
_PAST = Day("past")
_TODAY = Day("rel", 0, default=LATE)
_TOMORROW = Day("rel", 1)
_AFTER_TOMORROW = Day("rel", 2)
_MIDNIGHT = Clock(24, 0)  # the end of the day named (or of today)


def _b_wday(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    wd = _WDS[lang][m["wd"]]
    if lang == "es" and m["wdpast"]:
        return _token_of(s, e, day=_PAST)
    part = _PARTS.get(m["wdpart"] or "") if lang == "en" else None
    if m["wdd"]:  # "el jueves 12 de noviembre": the date decides
        day = Day("date", _MONTHS[lang].get(m["wdmon"], 0), int(m["wdd"]))
        return _token_of(s, e, day=day, part=part)
    wdn = m["wdn"] or _g(m, "wdn2")
    if wdn:  # "el jueves 12": the day of the month decides when the two disagree
        d = int(wdn)
        return _token_of(s, e, day=Day("dom", d), part=part) if 1 <= d <= 31 else None
    return _token_of(
        s, e, day=_WEEKDAY["weekday_next" if m["wdnext"] else "weekday", wd], part=part
    )


def _b_fixed(kind: DayKind) -> Callable[[re.Match[str], Lang, int, int], TimeToken | None]:
    day = Day(kind)

    def build(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
        return _token_of(s, e, day=day)

    return build


def _b_midn(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    return _token_of(s, e, clock=_MIDNIGHT)


def _b_pm(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    return _token_of(s, e, day=_AFTER_TOMORROW)


def _b_clk(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    if lang == "en":
        c = _clock(m["ch"], m["cm"], m["cmer"], None, lang)
        return _token_of(s, e, clock=c) if c else None
    part = _PARTS.get(m["cpart"] or m["cnoon"] or "")
    minute = m["cm"]
    c = _clock(m["ch"], minute, m["cmer"], part, lang)
    if c is None:
        return None
    if m["cmw"]:
        c = Clock(c.hour, 30 if m["cmw"] == "media" else 15, c.meridiem, c.part, c.padded)
    elif m["cmm"]:
        c = Clock((c.hour - 1) or 12, 45, c.meridiem, c.part, c.padded)
    return _token_of(s, e, clock=c)


def _b_tipo(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    c = _clock(m["th"], m["tm"], None, None, lang)
    return _token_of(s, e, clock=c) if c else None


def _b_hhmm(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    part = _PARTS.get(m["hpart"] or "") if lang == "es" else None
    c = _clock(m["hh"], m["mm"], m["hmer"], part, lang)
    return _token_of(s, e, clock=c) if c else None


def _b_hmer2(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    c = _clock(m["mh"], None, m["mmer"], None, lang)
    return _token_of(s, e, clock=c) if c else None


def _b_hpart2(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    c = _clock(m["ph"], None, None, _PARTS.get(m["p2part"] or m["pnoon"] or ""), lang)
    return _token_of(s, e, clock=c) if c else None


def _b_half(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    c = _clock(m["hph"], "30", None, None, lang)
    return _token_of(s, e, clock=c) if c else None


def _b_first(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    return _token_of(s, e, part="first")


def _b_esta(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    part = _PARTS.get(m["estap"] or m["tonight"] or "", "night")
    return _token_of(s, e, day=_TODAY, part=part)


def _b_ppart(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    return _token_of(s, e, part=_PARTS.get(m["pp"] or "night", "night"))


def _b_noon(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    return _token_of(s, e, part="noon")


def _b_late(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    return _token_of(s, e, part="late")


def _b_hoy(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    return _token_of(s, e, day=_TODAY)


def _b_tmw(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    part = _PARTS.get(m["tmpart"] or "") if lang == "en" else None
    return _token_of(s, e, day=_TOMORROW, part=part)


# "antes del 15 de diciembre", "a partir del 3": after these a "del <day>" is a time again.
_DEADLINE = compiled(r"\b(?:antes|despues|partir|hasta|desde|tardar|previo|cerca)\s+$")


def _b_ref(m: re.Match[str], lang: Lang, s: int, e: int) -> TimeToken | None:
    if lang != "es" or m["refto"] or not _DEADLINE.search(m.string, max(0, s - 16), s):
        return None  # "el recibo del día 3", "the invoice from March 3": what, not when
    d = 1 if m["refd"] == "primero" else int(m["refd"])
    if m["refmon"]:
        return _token_of(s, e, day=Day("date", _MONTHS[lang][m["refmon"]], d, int(m["refyy"] or 0)))
    return _token_of(s, e, day=Day("dom", d)) if 1 <= d <= 31 else None


_BUILDERS: dict[str, Callable[[re.Match[str], Lang, int, int], TimeToken | None]] = {
    "ref": _b_ref,
    "rel": _b_rel,
    "relw": _b_relw,
    "past": _b_past,
    "date": _b_date,
    "dnum": _b_dnum,
    "dom": _b_dom,
    "wday": _b_wday,
    "wfri": _b_fixed("week_end"),
    "nweek": _b_fixed("next_week"),
    "wend": _b_fixed("weekend"),
    "nmonth": _b_fixed("next_month"),
    "mend": _b_fixed("month_end"),
    "midn": _b_midn,
    "pm": _b_pm,
    "clk": _b_clk,
    "tipo": _b_tipo,
    "hhmm": _b_hhmm,
    "hmer2": _b_hmer2,
    "hpart2": _b_hpart2,
    "half": _b_half,
    "first": _b_first,
    "esta": _b_esta,
    "ppart": _b_ppart,
    "noon": _b_noon,
    "late": _b_late,
    "hoy": _b_hoy,
    "tmw": _b_tmw,
}


def scan(text: str, lang: Lang, start: int, end: int) -> list[TimeToken]:
    """Time tokens in text[start:end] (folded text), in order."""
    out: list[TimeToken] = []
    # "<words> ago" cannot match in a region without "ago": the English regex led without it
    rx = _ES if lang == "es" else _EN if text.find("ago", start, end) >= 0 else _EN_NO_AGO
    for m in rx.finditer(text, start, end):  # (`_token`, without a call per match)
        build = _BUILDERS.get(m.lastgroup or "")
        if build is not None:
            s, e = m.span()
            tok = build(m, lang, s, e)
            if tok is not None:
                out.append(tok)
    return out


# (verb asking for time, number words, units, fixed spans, "and a half", conjunction, "about")
_ASK: dict[Lang, tuple[str, dict[str, int], str, str, str, str, str]] = {
    "es": (
        r"deme|dame|denme|dadme|regaleme|regalame|regalenme|concedame|permitame|permiteme"
        r"|bancame|bancame\s+un\s+toque|aguantame|espereme|esperame|(?:deme|dame|denme)\s+(?:un\s+)?chance\s+de",
        _ES_NUM, _ES_UNIT, _ES_SPAN_IN, r"\s+y\s+media", r"y|e", r"unos|unas|como|aproximadamente",
    ),
    "en": (
        r"give\s+me|gimme|allow\s+me",
        _EN_NUM, _EN_UNIT, _EN_SPAN_IN, r"\s+and\s+a\s+half", r"and", r"about|around|roughly",
    ),
}  # fmt: skip


def _given_pattern(lang: Lang) -> str:
    """ "deme media hora y le aviso": the span the agent asks for is the promise's time."""
    ask, nums, unit, span, half, conj, approx = _ASK[lang]
    num = r"\d{1,3}|" + _alt(nums)
    return (
        rf"\b(?:{ask})\s+(?:(?:{approx})\s+)?(?P<give>(?P<rn>{num})(?:\s*(?:a|o|to|or|-)\s*"
        rf"(?P<rn2>{num}))?\s*(?P<ru>{unit})\b(?P<rh>{half})?|(?P<rq>{span}))"
        rf"(?:\s*,?\s+(?:por\s+favor|porfa|porfis|please|pls))?"
        rf"(?:\s+(?:para|que|mientras|while|to)\s+[^.,;:!?\n]{{1,50}}?)?\s*,?\s+(?:{conj})\s+(?:ya\s+)?$"
    )


_GIVEN = {"es": compiled(_given_pattern("es")), "en": compiled(_given_pattern("en"))}
_GIVE_WORDS = (
    "dame", "deme", "denme", "dadme", "regal", "conced", "permit", "give", "gimme", "allow",
    "banca", "aguanta", "espera",
)  # fmt: skip


def given(text: str, lang: Lang, start: int, end: int) -> TimeToken | None:
    """A span asked for right before a promise ("dame 10 minutos y te confirmo"), else None."""
    window = text[max(start, end - 110) : end]
    if not any(w in window for w in _GIVE_WORDS):
        return None
    m = _GIVEN[lang].search(text, max(start, end - 110), end)
    if m is None:
        return None
    off = _offset(m, lang)
    return _token_of(m.start(), m.end("give"), offset=off) if off else None
