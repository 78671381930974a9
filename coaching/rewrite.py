"""Rewrites of the agent's own sentence from the words it captured, never from invented facts.

"Usted debió revisar el correo" becomes "Revisemos juntos el correo": the verb turns into a shared
step (nosotros), the object is copied as written. When the verb is not one this table knows, or
there is no plain object to copy, there is no rewrite and the rule's own suggestion (a pattern
with a visible slot) is used instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from coaching.derived import compiled
from coaching.normalize import Folded

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


def _modal_es(folded: Folded, start: int, end: int) -> str | None:
    m = _ES_MODAL.search(folded.text, start, min(len(folded.text), end + 120))
    if m is None or m.start() >= end:
        return None
    step = _ES_VERBS.get(m.group("verb"))
    obj = _object(folded, m, _ES_STOP)
    if step is None or obj is None:
        return None
    return f"{step} juntos {obj}."


def _modal_en(folded: Folded, start: int, end: int) -> str | None:
    m = _EN_MODAL.search(folded.text, start, min(len(folded.text), end + 120))
    if m is None or m.start() >= end:
        return None
    step = _EN_VERBS.get(m.group("verb"))
    obj = _object(folded, m, _EN_STOP)
    if step is None or obj is None:
        return None
    return f"Let's {step} {obj} together."


# A rule names its rewriter in YAML (`rewrite: shared-step`); one per language.
REWRITERS: dict[str, dict[str, Callable[[Folded, int, int], str | None]]] = {
    "shared-step": {"es": _modal_es, "en": _modal_en},
}


def rewrite(name: str, lang: str, folded: Folded, start: int, end: int) -> str | None:
    """The rewrite of the sentence around folded [start, end), or None when none fits."""
    fn = REWRITERS.get(name, {}).get(lang)
    return fn(folded, start, end) if fn else None
