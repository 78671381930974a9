"""Promise verbs: the agent's own commitment to contact the customer later (folded text).

Spanish: a first-person verb with an object clitic ("le llamo", "se lo envío", "te escribiré"),
"voy a / quedo en / quedo de (Mexico) / vuelvo a" + infinitive, "me comunico con usted". Third
persons ("el técnico lo llamará"), the customer's actions ("llámenos") and past tense ("le
llamé") never match.
English: "I'll / I will / I'm going to / we'll / let me" + a contact verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import ahocorasick

from coaching.derived import Regexes, compiled, lead
from coaching.followup_times import guarded
from coaching.model import Lang
from coaching.normalize import Folded

# (present 1sg, infinitive, future stem, present 1pl, continuation, future needs a clitic)
_DAR_OBJ = (
    r"\s+(?:(?:una|la|su|pronta|mas)\s+)?(?:respuesta|aviso|seguimiento|noticias|novedades"
    r"|informacion|solucion|razon|una\s+llamada|un\s+llamado|un\s+telefonazo|un\s+toque"
    r"|un\s+timbrazo|un\s+correo|un\s+mail)\b"
)
_TENER_OBJ = (
    r"\s+(?:(?:una|la|alguna|su|buenas|mas)\s+)?(?:respuesta|noticias|novedades|solucion"
    r"|informacion|actualizacion)\b"
)
_CALL = r"\s+(?:la\s+llamada|el\s+llamado)\b"
_TOPIC = r"(?!\s+(?:de|del|sobre|con|acerca)\b)"  # "le hablo de…": talking now
_TRANSFER = r"(?!\s+(?:con|a|al)\b)"  # "le paso con un asesor": a transfer now
# "le confirmo su cita para el 15": confirming a booking now; its date is not a follow-up. The
# booking closing its clause ("el martes le confirmo la cita") leaves the verb a promise.
_BOOKING = (
    r"(?!\s+(?:su|sus|tu|tus|el|la|los|las)\s+(?:cita|turno|reserva|reservacion|pedido|orden"
    r"|compra|pago|direccion|datos|numero|folio|ticket|cancelacion|horario|visita)\b"
    r"(?=\s*:|\s+(?:para|a\s+las?)\b|\s+(?:del?|el|de\s+la|de\s+las)\s+(?:dia\s+)?(?:\d|lunes|martes"
    r"|miercoles|jueves|viernes|sabado|domingo|proxim|manana|hoy)))"
)
# "le escribo para informarle…": writing right now.
_WRITING = (
    r"(?!\s+(?:para|porque|de\s+parte|desde|sobre\s+(?!las?\b)|con\s+respecto"
    r"|en\s+relacion|acerca)\b)"
)
_VERBS: tuple[tuple[str, str, str, str, str, bool], ...] = (
    ("llamo", "llamar", "llamar", "llamamos", r"(?!\s+la\s+atencion)", False),
    ("escribo", "escribir", "escribir", "escribimos", _WRITING, False),
    ("confirmo", "confirmar", "confirmar", "confirmamos", _BOOKING, False),
    ("envio", "enviar", "enviar", "enviamos", "", True),
    ("reenvio", "reenviar", "reenviar", "reenviamos", "", True),
    ("mando", "mandar", "mandar", "mandamos", "", True),
    ("aviso", "avisar", "avisar", "avisamos", "", False),
    ("respondo", "responder", "responder", "respondemos", "", False),
    ("contesto", "contestar", "contestar", "contestamos", "", False),
    ("informo", "informar", "informar", "informamos", "", False),
    ("notifico", "notificar", "notificar", "notificamos", "", False),
    ("contacto", "contactar", "contactar", "contactamos", "", False),
    ("marco", "marcar", "marcar", "marcamos", "", True),
    ("timbro", "timbrar", "timbrar", "timbramos", "", True),
    ("hablo", "hablar", "hablar", "hablamos", _TOPIC, True),
    ("comento", "comentar", "comentar", "comentamos", _TOPIC, True),
    ("digo", "decir", "dir", "decimos", "", True),
    ("cuento", "contar", "contar", "contamos", _TOPIC, True),
    ("paso", "pasar", "pasar", "pasamos", _TRANSFER, True),
    ("comparto", "compartir", "compartir", "compartimos", "", True),
    ("actualizo", "actualizar", "actualizar", "actualizamos", "", True),
    ("devuelvo", "devolver", "devolver", "devolvemos", _CALL, False),
    ("regreso", "regresar", "regresar", "regresamos", _CALL, False),
    ("retorno", "retornar", "retornar", "retornamos", _CALL, False),
    ("doy", "dar", "dar", "damos", _DAR_OBJ, False),
    ("tengo", "tener", "tendr", "tenemos", _TENER_OBJ, False),
    ("hago", "hacer", "har", "hacemos", r"\s+llegar\b", False),
)
# A present-tense verb followed by these is a statement about now, not a promise.
_STATEMENT = (
    r"(?!\s*:|\s+(?:que|de\s+que|como\s+(?!a\s+las?\b)|con\s+respecto|en\s+relacion|acerca)\b)"
)
# "os" is the vosotros object (Spain): "os llamo mañana", "os lo mando".
_CLITIC = r"(?:(?:se|te|os)\s+(?:lo|la|los|las)|le|lo|la|les|los|las|te|os)"
_ENCLITIC = r"(?:selo|sela|selos|selas|telo|tela|telos|telas|oslo|osla|les|le|los|lo|las|la|te|os)?"
_OTHER = r"(?!\s+con\s+(?!usted|ustedes|vos|ud\b|el\s+cliente|la\s+clienta))"
_SELF = (
    r"(?:comunico|comunicamos|comunicare|comunicaremos|contacto|contactamos|contactare"
    r"|contactaremos|(?:pongo|ponemos|pondre|pondremos)\s+en\s+contacto"
    r"|(?:voy|vamos)\s+a\s+(?:comunicar|contactar|poner\s+en\s+contacto))"
)
_SELF_INF = r"(?:comunicarme|comunicarnos|contactarme|contactarnos|ponerme|ponernos)"


_GERUND = (
    r"(?:llamando|marcando|timbrando|escribiendo|confirmando|enviando|mandando|avisando"
    r"|contactando|comunicando|informando|respondiendo|contestando|compartiendo|reenviando)"
)


def _es_alternatives() -> list[str]:
    present: list[str] = []
    future: list[str] = []
    future_bare: list[str] = []
    infinitive: list[str] = []
    conditional: list[str] = []
    for pres, inf, fut, pl, tail, clitic in _VERBS:
        present.append(f"(?:{pres}|{pl}){tail}")
        conditional.append(f"(?:{fut}ia|{fut}iamos){tail}")
        futs = f"(?:{fut}e|{fut}emos){tail}"
        future.append(futs)
        if not clitic:
            future_bare.append(futs)
        infinitive.append(f"{inf}{_ENCLITIC}{tail}")
    return [
        rf"(?P<pres>\b{_CLITIC}\s+(?P<fin>{'|'.join(present)})\b{_STATEMENT})",
        rf"(?P<fut>\b{_CLITIC}\s+(?:{'|'.join(future)})\b|\b(?:{'|'.join(future_bare)})\b)",
        rf"(?P<cond>\b{_CLITIC}\s+(?:{'|'.join(conditional)})\b)",
        r"(?P<peri>\b(?:" + _CLITIC + r"\s+)?(?:voy\s+a|vamos\s+a|vuelvo\s+a|volvemos\s+a"
        r"|quedo\s+en|quedamos\s+en|quedo\s+de|quedamos\s+de|quedo\s+pendiente\s+de|me\s+comprometo\s+a"
        r"|nos\s+comprometemos\s+a|tengo\s+que|tenemos\s+que"
        r"|lo\s+primero\s+que\s+(?:hago|hare|hacemos|haremos)\s+es)\s+(?:(?:volver\s+a|intentar"
        r"|tratar\s+de|poder)\s+)?(?:" + "|".join(infinitive) + "|"
        rf"{_SELF_INF}(?:\s+en\s+contacto)?{_OTHER})\b)",
        rf"(?P<self>\b(?:me|nos)\s+(?P<sfin>{_SELF})\b{_OTHER})",
        r"(?P<touch>\b(?:estare|estaremos)\s+en\s+contacto\b)",
        # "a las 4 le estoy llamando": the progressive as a future, like the present
        rf"(?P<prog>\b{_CLITIC}\s+(?:estoy|estamos)\s+{_GERUND}\b)",
        rf"(?P<fprog>\b(?:{_CLITIC}\s+)?(?:estare|estaremos|(?:voy|vamos)\s+a\s+estar)"
        rf"\s+{_GERUND}{_ENCLITIC}\b)",
    ]


_EN_SUBJ = (
    r"(?:i'll|i\s+will|i'm\s+going\s+to|im\s+going\s+to|i\s+am\s+going\s+to|i'm\s+gonna"
    r"|im\s+gonna|ill|i\s+shall|we'll|we\s+will|we're\s+going\s+to|we\s+are\s+going\s+to"
    r"|we're\s+gonna|(?P<letme>let\s+me))"
)
_EN_GAP = (
    r"(?:(?!not\b|never\b|ask\b|tell\b|have\s+(?:someone|somebody|him|her|them|a\s+\w+\s+call)"
    r"|make\b|get\s+(?:someone|somebody|him|her|them)\b|someone\b|somebody\b|he\b|she\b"
    r"|they\b)[a-z']+\s+){0,8}?"
)
_EN_VERB = (
    r"(?:call|ring|phone|e-?mail|mail|text|message|ping|contact|reach\s+out|get\s+back"
    r"|get\s+in\s+touch|be\s+in\s+touch|follow\s+up|circle\s+back|touch\s+base|check\s+back"
    r"|let\s+you\s+know|update\s+you|send|resend|forward|confirm|reply|respond|write"
    r"|have\s+(?:an?\s+|the\s+|some\s+)?(?:answer|update|response|news|solution)"
    r"|give\s+you\s+a\s+(?:call|ring|buzz|bell|shout)|drop\s+you|shoot\s+you|revert(?:\s+back)?"
    r"|share|send\s+over"
    r"|keep\s+you\s+(?:posted|updated|informed)|return\s+your\s+call|get\s+(?:you|it\s+to\s+you)"
    r"|have\s+(?:[a-z']+\s+){1,5}?(?:to|over\s+to|back\s+to)\s+you"
    r")\b"
)

# Every alternative starts a word ("\b" then a letter): "(?=\w)" first lets the scan skip word
# ends at once instead of trying every alternative there, the lookahead of the words a match
# starts with (`derived.lead`) most word starts, and each alternative's own lookahead most of
# the alternatives at the word starts left (`derived.word_alternation`).
_KEPT = Regexes("verbs")  # compiled code kept between runs (coaching/derived.py)
_ES_ALTS = _es_alternatives()
_ES_ALL = r"\b(?:" + "|".join(_ES_ALTS) + ")"
_ES = _KEPT.compile(guarded(_ES_ALTS, 8))
_EN_OBJ = r"(?:\s+(?:to|with)\s+you\b|\s+you\b(?:\s+back\b)?|\s+back\b)?"
_EN_ALL = rf"\b{_EN_SUBJ}\s+{_EN_GAP}{_EN_VERB}{_EN_OBJ}"
_EN = _KEPT.compile(r"(?=\w)" + lead(_EN_ALL) + _EN_ALL)
_KEPT.save()
# Every Spanish match contains one of these stems, every English one a subject word: a line
# without them costs one automaton pass; the full pattern runs only in windows around them.
_ES_STEMS = (
    "llam", "escrib", "confirm", "envi", "mand", "avis", "respond", "contest", "contact",
    "inform", "notific", "marc", "timbr", "habl", "coment", "digo", "decir", "dire", "decim",
    "cuento",
    "contar", "contam", "paso", "pasar", "pasam", "compart", "actualiz", "devuelv", "devolv",
    "regres", "retorn", "doy", "dar", "damos", "teng", "tener", "tendr", "tenem", "hago",
    "hacer", "hare", "haria", "hacem", "diria", "comunic", "pong", "ponem", "pondr", "poner",
    "estare",
)  # fmt: skip
_EN_STEMS = ("'ll", "ill", "will", "gonna", "going", "shall", "let me")
# A text holding none of its language's stems has no promise verb (`find_verbs` finds none).
STEMS: dict[Lang, tuple[str, ...]] = {"es": _ES_STEMS, "en": _EN_STEMS}


def word_automaton(words: tuple[str, ...]) -> Any:
    """One Aho-Corasick automaton over `words`, each valued by its length."""
    found = ahocorasick.Automaton()
    for word in words:
        found.add_word(word, len(word))
    found.make_automaton()
    return found


def holds_any(words: Any, text: str, lo: int, hi: int) -> bool:
    """Whether text[lo:hi] holds one of the `word_automaton` `words` (one pass in C): where a
    regex can only match around one of them, a range without any skips its search, in which
    `re` tried a match at every position."""
    return next(words.iter(text, lo, hi), None) is not None


# One scan finds every occurrence of every stem (overlapping ones too), where a search per stem
# used to: a line without any costs one pass.
_STEMS: dict[Lang, Any] = {lang: word_automaton(stems) for lang, stems in STEMS.items()}
_BEFORE = 64  # longest reach of a match before its stem ("nos comprometemos a tratar de …")
_AFTER = 112  # longest reach after it, lookaheads included
_NEGATED = compiled(r"\b(?:no|nunca|tampoco|jamas|ni)\s*$")
_NEG_WORDS = word_automaton(("no", "nunca", "tampoco", "jamas", "ni"))  # what _NEGATED holds
_ALREADY = compiled(r"\bya\s*$")
_HAVE = compiled(r"(?:\w+\s+){0,2}?(?:tengo|tenemos)\b")
# A first person plural in "-amos/-imos" is also a preterite; after a noun and "que" it describes
# what was done ("el mail que te mandamos el lunes"), and after "si" and a noun it concedes it
# ("si el mensaje te lo mandamos el martes"): neither promises a follow-up.
_DESCRIBED = compiled(
    r"(?:\b(?:el|la|los|las|un|una|este|esta|ese|esa|del|al)\s+[a-z]+(?:\s+[a-z]+)?\s+que"
    r"|\bsi\s+(?:el|la|los|las)\s+[a-z]+)\s+(?:(?:le|te|les|os|se|lo|la|los|las|nos)\s+){0,2}$"
)
_PLURAL_FIRST = compiled(r"(?:(?:le|te|les|os|se|lo|la|los|las|nos)\s+){0,2}[a-z]+(?:amos|imos)\b")
# The conditional ("le llamaría mañana") is a promise only as an offer the customer can take:
# "…si le parece", "si gusta", "¿te parece?" in the same sentence. Without one it is a
# hypothesis ("le llamaría, pero no tengo su número"). "Llamaría" is also the third person:
# a subject noun or pronoun right before it ("el técnico le llamaría") is someone else.
OFFER = compiled(
    r"\b(?:si\s+(?:(?:le|te|les|os)\s+(?:parece|parecen|viene|va|queda|acomoda|sirve)"
    r"|(?:lo\s+)?(?:gusta|gustas|gustan|quiere|quieres|queres|prefiere|prefieres|preferis"
    r"|desea|deseas)|(?:esta|estas|estan)\s+de\s+acuerdo|me\s+(?:permite|permites|permitis)"
    r"|no\s+(?:tiene|tienes|tenes)\s+inconveniente)|(?:le|te|les|os)\s+parece(?:\s+bien)?\s*\?"
    r"|\bque\s+(?:le|te|les|os)\s+parece\b)"
)
_OFFER_SPAN = 90  # characters searched before and after the conditional, within its sentence
_SENTENCE = compiled(r"[.!;\n]")
_THIRD = compiled(
    r"\b(?:(?:el|la|los|las|un|una|nuestro|nuestra|mi|su)\s+[a-z]+|el|ella|ellos|ellas"
    r"|alguien|usted|ustedes)\s*$"
)
_PRETERITE = "óÓ"  # "le envió", "me contactó": a third person in the past, not "le envío"


@dataclass(frozen=True, slots=True)
class VerbMatch:
    """A promise verb in the folded text; `present`: a promise without a time only at clause end."""

    start: int
    end: int
    present: bool


# `VerbMatch(...)` through its slots' descriptors, as followup_times makes a TimeToken (the
# frozen dataclass's __init__ calls object.__setattr__ per field).
_NEW = object.__new__
_SET_START, _SET_END, _SET_PRESENT = (
    VerbMatch.__dict__[name].__set__ for name in ("start", "end", "present")
)


def _verb(start: int, end: int, present: bool) -> VerbMatch:
    """`VerbMatch(start, end, present)`, the same object made faster."""
    made: VerbMatch = _NEW(VerbMatch)
    _SET_START(made, start)
    _SET_END(made, end)
    _SET_PRESENT(made, present)
    return made


def _windows(text: str, stems: Any) -> list[tuple[int, int]]:
    """Disjoint windows around every stem a promise verb must contain (cheap pre-filter);
    `stems`: a `word_automaton` of them."""
    if len(text) <= _AFTER:  # most lines: every window reaches the end
        first = next(stems.iter(text), None)
        if first is None:
            return []
        if first[0] - first[1] < _BEFORE:  # a stem starts within _BEFORE: all start at 0
            return [(0, len(text))]
    hits = sorted({end - size + 1 for end, size in stems.iter(text)})
    out: list[tuple[int, int]] = []
    for p in hits:
        lo, hi = max(0, p - _BEFORE), min(len(text), p + _AFTER)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


_SHORTEST_STEM = min(len(stem) for stems in STEMS.values() for stem in stems)


def _matches(rx: re.Pattern[str], text: str, stems: Any, limit: int) -> list[re.Match[str]]:
    """The first `limit` matches of `rx` in the `_windows` around the stems of `text`.

    A text of at most `_AFTER` characters has one window, from `_BEFORE` before its first stem
    to the end. Its whole is scanned first, and the stems looked for only when a match was
    found (most texts have none): a stem within `_BEFORE` of the first match puts the window's
    start at or before it, where the scan from the window's start finds the same matches."""
    n = len(text)
    if n <= _AFTER:
        found: list[re.Match[str]] = []
        for m in rx.finditer(text):
            found.append(m)
            if len(found) >= limit:
                break
        if not found:
            return found
        s = found[0].start()
        # A stem inside text[s : s + _BEFORE + _SHORTEST_STEM] starts at most _BEFORE after s
        if holds_any(stems, text, s, min(n, s + _BEFORE + _SHORTEST_STEM)):
            return found
    out: list[re.Match[str]] = []
    for lo, hi in _windows(text, stems):
        for m in rx.finditer(text, lo, hi):
            out.append(m)
            if len(out) >= limit:
                return out
    return out


def _offered(text: str, start: int, end: int) -> bool:
    """A conditional promise verb at [start, end) made as an offer, not a third person's."""
    if _THIRD.search(text, max(0, start - 30), start):
        return False
    lo = max(0, start - _OFFER_SPAN)
    for b in _SENTENCE.finditer(text, lo, start):
        lo = b.end()
    b2 = _SENTENCE.search(text, end, min(len(text), end + _OFFER_SPAN))
    hi = b2.start() if b2 else min(len(text), end + _OFFER_SPAN)
    return OFFER.search(text, lo, hi) is not None


def find_verbs(folded: Folded, lang: Lang, limit: int = 1 << 30) -> list[VerbMatch]:
    """Promise verbs in folded text (about `limit` at most), negated and past ones removed."""
    text = folded.text
    out: list[VerbMatch] = []
    if lang == "en":
        for m in _matches(_EN, text, _STEMS["en"], limit):
            out.append(_verb(m.start(), m.end(), m["letme"] is not None))
        return out
    for m in _matches(_ES, text, _STEMS["es"], limit):
        s = m.start()
        lo = s - 12 if s > 12 else 0  # (`_NEGATED` needs a negation word: most have none)
        if holds_any(_NEG_WORDS, text, lo, s) and _NEGATED.search(text, lo, s):
            continue
        cond, pres, prog, fin, sfin = m.group("cond", "pres", "prog", "fin", "sfin")
        if cond is not None and not _offered(text, s, m.end()):
            continue
        # (`_PLURAL_FIRST` ends in "amos" or "imos": most texts after a verb have no "mos")
        if (
            text.find("mos", s) >= 0
            and _PLURAL_FIRST.match(text, s)
            and _DESCRIBED.search(text, max(0, s - 50), s)
        ):
            continue
        # (`_ALREADY` needs "ya": most verbs have none before them, and skip the search)
        already = text.find("ya", s - 8 if s > 8 else 0, s) >= 0 and _ALREADY.search(
            text, max(0, s - 8), s
        )
        if pres is not None and already and _HAVE.match(text, s):
            continue  # "ya le tengo la solución": had now, not promised
        if prog is not None and already:
            continue  # "ya lo estoy llamando": under way now
        word = fin or sfin
        # A preterite needs an "ó" in the original: most lines have none, and skip its check.
        if word and ("ó" in folded.original or "Ó" in folded.original):
            wstart = m.start("fin") if fin else m.start("sfin")
            _, oend = folded.span(wstart, wstart + len(word.split()[0]))
            if oend and folded.original[oend - 1] in _PRETERITE:
                continue
        out.append(_verb(s, m.end(), pres is not None or prog is not None))
    return out
