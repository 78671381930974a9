"""Rewrites of the agent's own sentence from the words it captured, never from invented facts.

"Usted debió revisar el correo" becomes "Revisemos juntos el correo": the verb turns into a shared
step (nosotros), the object is copied as written. When the verb is not one this table knows, or
there is no plain object to copy, there is no rewrite and the rule's own suggestion (a pattern
with a visible slot) is used instead.

Three more keep the agent's sentence and change only the flagged words, in the line's register
(the rule's `lead`, worded per form of address):
- `drop`: the words go ("Hon, it's the blue button" -> "It's the blue button.");
- `lead`: a sentence opening is replaced by the lead ("Como ya le expliqué, el reembolso tarda 5
  días" -> "Le resumo: el reembolso tarda 5 días.");
- `empathy-then`: the empathy stays and what its "pero" brought in gives way to the lead
  ("Comprendo su molestia, pero son las normas" -> "Comprendo su molestia. Lo que sí puedo hacer
  ahora es…");
- `hedge`: a guarantee that opens the sentence gives way to the lead, whose {} takes the rest as
  written ("Te garantizo que mañana lo tienes" -> "Por lo que veo, mañana lo tienes; si algo
  cambia, te aviso yo antes.").
None rewrites a sentence that holds another finding: the rewrite would keep that fault.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from coaching.derived import compiled
from coaching.normalize import Folded

# Sentence ends: . ! ? ; followed by a space or the end (an opening "¿" folds to "?" before a
# letter, so it does not end anything), and line breaks (quotes are masked as line breaks).
# Written `[.!?;]{1,3}(?=\s|$)|\n`, but led by one class of the characters a match starts with,
# so `re` skips the others in a tight loop instead of trying a match at every position.
SENTENCE_END = compiled(r"[.!?;\n](?:(?<=\n)|[.!?;]{0,2}(?=\s|$))")
_CLOSED = compiled(r"[.!?…]$")
_EDGE = " \t,;:–—-"


@dataclass(frozen=True, slots=True)
class Line:
    """What a rewriter may use: the folded line, the finding's folded span, the rule's lead in
    the line's register, and the folded spans of the line's other findings."""

    folded: Folded
    start: int
    end: int
    lead: str | None = None
    others: tuple[tuple[int, int], ...] = ()


# Spanish verbs a reproach names, folded: infinitive or participle -> the shared step.
_ES_VERBS: dict[str, str] = {}
for _step, _forms in {
    "Revisemos": "revisar revisado",
    "Leamos": "leer leido",
    "Veamos": "ver visto mirar mirado",
    "Verifiquemos": "verificar verificado",
    "Comprobemos": "comprobar comprobado",
    "Confirmemos": "confirmar confirmado",
    "Consultemos": "consultar consultado",
    "Guardemos": "guardar guardado",
    "Actualicemos": "actualizar actualizado",
    "Completemos": "completar completado",
    "Rellenemos": "rellenar rellenado llenar llenado",
    "Configuremos": "configurar configurado",
    "Descarguemos": "descargar descargado",
    "Enviemos": "enviar enviado mandar mandado",
    "Pidamos": "pedir pedido solicitar solicitado",
    "Activemos": "activar activado",
    "Cambiemos": "cambiar cambiado",
    "Busquemos": "buscar buscado",
}.items():
    for _form in _forms.split():
        _ES_VERBS[_form] = _step

_ES_DET = (
    r"(?:el|la|los|las|su|sus|tu|tus|vuestro|vuestra|vuestros|vuestras|este|esta|estos|estas|"
    r"ese|esa|esos|esas|un|una|unos|unas|mi|mis|nuestro|nuestra)"
)
_ES_MODAL = compiled(
    r"\b(?:deb[a-z]{1,7}|ten[a-z]{2,7} que|tend[a-z]{2,7} que|(?:ha|has|han|habia|habias|habian|"
    r"habeis|habiais) debido)(?: haber)? (?P<verb>[a-z]{2,20}) "
    r"(?P<obj>" + _ES_DET + r" [^.,;:!?\n]{1,80})"
)
# The object ends where the reproach's own "when" or "why" begins.
_ES_STOP = compiled(
    r" (?:antes|despues|a tiempo|con tiempo|primero|cuando|porque|ya que|y|pero|que|si|para)\b"
)

_EN_VERBS: dict[str, str] = {}
for _step, _forms in {
    "go through": "read",
    "check": "check checked verify verified",
    "look at": "look@at looked@at",
    "review": "review reviewed",
    "save": "save saved",
    "update": "update updated",
    "confirm": "confirm confirmed",
    "download": "download downloaded",
    "fill in": "fill@in filled@in fill@out filled@out",
    "send": "send sent",
}.items():
    for _form in _forms.split():
        _EN_VERBS[_form.replace("@", " ")] = _step

_EN_MODAL = compiled(
    r"\b(?:should|shoulda|ought to|had to|needed to|were supposed to)(?: have)? "
    r"(?P<verb>[a-z]{2,20}(?: at| in| out)?) "
    r"(?P<obj>(?:the|your|this|that|these|those|our|my) [^.,;:!?\n]{1,80})"
)
_EN_STOP = compiled(r" (?:before|after|first|in time|on time|when|because|and|but|if)\b")


def _object(folded: Folded, m: re.Match[str], stop: re.Pattern[str]) -> str | None:
    """The captured object as the agent wrote it, cut where its "when" or "why" begins."""
    start, end = m.span("obj")
    cut = stop.search(folded.text, start, end)
    if cut is not None:
        end = cut.start()
    if end - start < 4:
        return None
    s, e = folded.span(start, end)
    words = folded.original[s:e].strip()
    return words or None


def _modal_es(line: Line) -> str | None:
    folded, start, end = line.folded, line.start, line.end
    m = _ES_MODAL.search(folded.text, start, min(len(folded.text), end + 120))
    if m is None or m.start() >= end:
        return None
    step = _ES_VERBS.get(m.group("verb"))
    obj = _object(folded, m, _ES_STOP)
    if step is None or obj is None:
        return None
    return f"{step} juntos {obj}."


def _modal_en(line: Line) -> str | None:
    folded, start, end = line.folded, line.start, line.end
    m = _EN_MODAL.search(folded.text, start, min(len(folded.text), end + 120))
    if m is None or m.start() >= end:
        return None
    step = _EN_VERBS.get(m.group("verb"))
    obj = _object(folded, m, _EN_STOP)
    if step is None or obj is None:
        return None
    return f"Let's {step} {obj} together."


def _sentence(line: Line) -> tuple[int, int]:
    """Folded bounds of the finding's sentence, its end mark included."""
    text = line.folded.text
    lo = 0
    for m in SENTENCE_END.finditer(text, max(0, line.start - 400), line.start):
        lo = m.end()
    return lo, _end_after(text, line.end)


# A text and a position after which it holds no sentence end: a line of 40,000 characters
# without one is searched to its end once, not once a finding (read and replaced as one tuple,
# so threads sharing it never mix two texts).
_NO_END: tuple[str, int] = ("", 0)
_AHEAD = 400


def _end_after(text: str, pos: int) -> int:
    """`SENTENCE_END.search(text, pos)`'s end, or the text's end when there is none."""
    m = SENTENCE_END.search(text, pos, pos + _AHEAD)
    if m is not None and m.end() < pos + _AHEAD - 4:  # well inside: what a full search finds
        return m.end()
    global _NO_END
    known = _NO_END
    if known[0] is text and pos >= known[1]:
        return len(text)
    m = SENTENCE_END.search(text, pos)
    if m is None:
        _NO_END = (text, pos)
        return len(text)
    return m.end()


def _clash(line: Line, lo: int, hi: int) -> bool:
    """Another finding lies in the folded text the rewrite keeps, [lo, hi)."""
    return any(s < hi and lo < e for s, e in line.others)


def _closed(text: str) -> str:
    text = text.strip()
    return text if _CLOSED.search(text) else text + "."


def _drop(line: Line) -> str | None:
    """The sentence without the flagged words."""
    bounds = _sentence(line)
    if _clash(line, *bounds):
        return None
    f = line.folded
    s0, s1 = f.span(*bounds)
    fs, fe = f.span(line.start, line.end)
    before, after = f.original[s0:fs].strip().rstrip(_EDGE), f.original[fe:s1].lstrip(_EDGE)
    if not after.strip(" .!?…"):
        return _closed(before) if len(before.split()) >= 2 else None
    if not before:
        return _closed(after[:1].upper() + after[1:]) if len(after.split()) >= 2 else None
    return _closed(f"{before}, {after}")


def _lead(line: Line) -> str | None:
    """The lead in place of the flagged opening, then the rest of the sentence as written."""
    bounds = _sentence(line)
    if line.lead is None or _clash(line, line.end, bounds[1]):
        return None
    f = line.folded
    if f.text[bounds[0] : line.start].strip(" \t¿¡?!"):
        return None  # not the sentence's opening
    _, s1 = f.span(*bounds)
    _, fe = f.span(line.start, line.end)
    rest = f.original[fe:s1].lstrip(_EDGE)
    if len(rest.split()) < 2:
        return None
    return f"{line.lead} {_closed(rest)}"


def _empathy_then(line: Line) -> str | None:
    """The empathy as written up to its contrast word, then the lead."""
    bounds = _sentence(line)
    if line.lead is None:
        return None
    f = line.folded
    cuts = list(_CONTRAST.finditer(f.text, line.start, line.end))
    if not cuts:
        return None
    cut = cuts[-1]
    if _clash(line, bounds[0], cut.start()):
        return None
    s0, _ = f.span(*bounds)
    cs, _ = f.span(cut.start(), cut.end())
    kept = f.original[s0:cs].strip().rstrip(_EDGE)
    if len(kept.split()) < 2:
        return None
    return f"{kept}. {line.lead}"


# A guarantee opening a sentence, folded: what `hedge` replaces.
_GUARANTEE = {
    "es": compiled(
        r"(?:(?:le|te|les|os|se lo|te lo|se la|os lo) )?(?:prometo|garantizo|aseguro|juro|"
        r"prometemos|garantizamos|aseguramos)(?: de)?(?: que)? "
    ),
    "en": compiled(
        r"(?:i|we) (?:can |do |absolutely |personally )?(?:promise|guarantee|swear)(?: you)?"
        r"(?: that)?,? "
    ),
}


# The certainty after it ("al 100 % que", "100% that") goes too.
_SURE = compiled(
    r"(?:(?:al|un|a) )?(?:100|cien|one hundred) ?(?:%|por ciento|percent)[ ,]*(?:(?:que|that) )?"
)


# A certainty that closes the promised clause ("…, sí o sí", "without fail", "100%"): an estimate
# cannot keep it, so it goes with the guarantee. Matched on the clause's last characters only.
_CERTAIN_TAIL = compiled(
    r"[\s,]*(?:s[ií] o s[ií]|sin (?:ninguna )?falta|segur[ií]simo|seguro(?: seguro)?|"
    r"(?:al )?(?:100|cien) ?(?:%|por ciento|por cien)|for sure|no matter what|guaranteed|"
    r"without fail)[\s!.]*$",
    re.IGNORECASE,
)
_TAIL_CHARS = 40


def _without_certainty(rest: str) -> str:
    """`rest` without the certainty that closes it: «el lunes te llega sí o sí» → «… te llega»."""
    head, tail = rest[:-_TAIL_CHARS], rest[-_TAIL_CHARS:]
    return (head + _CERTAIN_TAIL.sub("", tail)).rstrip(" ,")


def _hedge(line: Line, lang: str) -> str | None:
    """The lead (with {} for the rest) in place of a guarantee that opens the sentence."""
    if line.lead is None or "{}" not in line.lead:
        return None
    lo, hi = _sentence(line)
    f = line.folded
    start = lo + len(f.text[lo:hi]) - len(f.text[lo:hi].lstrip(" \t¿¡?!"))
    m = _GUARANTEE[lang].match(f.text, start, hi)
    if m is None or not m.start() <= line.start < m.end() or _clash(line, m.end(), hi):
        return None
    sure = _SURE.match(f.text, m.end(), hi)
    _, rest_start = f.span(m.start(), sure.end() if sure else m.end())
    _, s1 = f.span(lo, hi)
    rest = _without_certainty(f.original[rest_start:s1].strip().rstrip(".!…").strip())
    if len(rest.split()) < 2:
        return None
    return line.lead.replace("{}", rest)


# The contrast that cancels an empathy ("pero", "sin embargo", "but", "however"), folded; the
# last one in the finding is where the empathy ends.
_CONTRAST = compiled(r"\b(?:pero|sin embargo|no obstante|but|however|although)\b")


# A rule names its rewriter in YAML (`rewrite: shared-step`); one per language.
REWRITERS: dict[str, dict[str, Callable[[Line], str | None]]] = {
    "shared-step": {"es": _modal_es, "en": _modal_en},
    "drop": {"es": _drop, "en": _drop},
    "lead": {"es": _lead, "en": _lead},
    "empathy-then": {"es": _empathy_then, "en": _empathy_then},
    "hedge": {"es": partial(_hedge, lang="es"), "en": partial(_hedge, lang="en")},
}
# Rewriters that need the rule's `lead`.
NEEDS_LEAD = frozenset({"lead", "empathy-then", "hedge"})


def rewrite(name: str, lang: str, line: Line) -> str | None:
    """The rewrite of the sentence around the finding, or None when none fits."""
    fn = REWRITERS.get(name, {}).get(lang)
    return fn(line) if fn else None
