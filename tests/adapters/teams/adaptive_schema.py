"""A hand-written subset of the Adaptive Cards 1.5 JSON schema (adaptive-card.json) for the
elements Calma sends, and a tiny validator for it; no internet for the real schema here.

Teams' chart elements (`Chart.*`) are Teams extensions outside the schema: a chart is valid when
it has a `fallback` that is itself a valid element, and the card is checked with the fallback in
the chart's place (what a host without charts shows).
"""

from __future__ import annotations

import re
from typing import Any

SPACING = {"None", "Small", "Default", "Medium", "Large", "ExtraLarge", "Padding"}
_COMMON = {"id", "spacing", "separator", "isVisible", "height", "fallback", "requires"}
ELEMENTS: dict[str, dict[str, Any]] = {
    "TextBlock": {
        "required": {"text"},
        "props": {
            "text",
            "wrap",
            "size",
            "weight",
            "color",
            "isSubtle",
            "maxLines",
            "horizontalAlignment",
            "fontType",
            "style",
        },
        "enums": {
            "size": {"Default", "Small", "Medium", "Large", "ExtraLarge"},
            "weight": {"Default", "Lighter", "Bolder"},
        },
    },
    "RichTextBlock": {"required": {"inlines"}, "props": {"inlines", "horizontalAlignment"}},
    "Container": {
        "required": {"items"},
        "props": {
            "items",
            "style",
            "bleed",
            "selectAction",
            "verticalContentAlignment",
            "minHeight",
            "backgroundImage",
            "rtl",
        },
        "enums": {"style": {"default", "emphasis", "good", "attention", "warning", "accent"}},
    },
    "Image": {
        "required": {"url"},
        "props": {
            "url",
            "altText",
            "size",
            "style",
            "width",
            "horizontalAlignment",
            "backgroundColor",
            "selectAction",
        },
        "enums": {"size": {"Auto", "Stretch", "Small", "Medium", "Large"}},
    },
    "FactSet": {"required": {"facts"}, "props": {"facts"}},
    "Input.Text": {  # a question's own field; `id` (in _COMMON) is required for inputs
        "required": {"id"},
        "props": {
            "label",
            "placeholder",
            "maxLength",
            "isMultiline",
            "isRequired",
            "errorMessage",
            "value",
            "style",
            "regex",
        },
        "enums": {"style": {"Text", "Tel", "Url", "Email", "Password"}},
    },
}
ACTIONS: dict[str, set[str]] = {"Action.Submit": set(), "Action.OpenUrl": {"url"}}
_URI = re.compile(r"^(https?://\S+|data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=]+)$")


def errors(card: dict[str, Any]) -> list[str]:
    """Every way `card` breaks the subset; empty when it validates."""
    found: list[str] = []
    if card.get("type") != "AdaptiveCard":
        found.append("$.type: not AdaptiveCard")
    if not re.fullmatch(r"1\.[0-6]", str(card.get("version", ""))):
        found.append("$.version: missing or not 1.x")
    for i, element in enumerate(card.get("body", [])):
        found += _element(element, f"$.body[{i}]")
    for i, action in enumerate(card.get("actions", [])):
        kind = action.get("type")
        if kind not in ACTIONS:
            found.append(f"$.actions[{i}]: unknown action {kind!r}")
            continue
        found += [f"$.actions[{i}]: missing {p}" for p in ACTIONS[kind] if p not in action]
        if action.get("style", "default") not in {"default", "positive", "destructive"}:
            found.append(f"$.actions[{i}].style: {action['style']!r}")
    return found


def _element(element: Any, where: str) -> list[str]:
    if not isinstance(element, dict):
        return [f"{where}: not an object"]
    kind = element.get("type", "")
    if kind.startswith("Chart."):
        if "fallback" not in element or not isinstance(element["fallback"], dict):
            return [f"{where}: a {kind} without an element as fallback"]
        return _element(element["fallback"], f"{where}.fallback")
    spec = ELEMENTS.get(kind)
    if spec is None:
        return [f"{where}: unknown element {kind!r}"]
    found = [f"{where}: missing {p}" for p in spec["required"] if p not in element]
    extra = set(element) - spec["props"] - _COMMON - {"type"}
    found += [f"{where}: unknown property {p}" for p in sorted(extra)]
    for prop, allowed in spec.get("enums", {}).items():
        if prop in element and element[prop] not in allowed:
            found.append(f"{where}.{prop}: {element[prop]!r} not in {sorted(allowed)}")
    if element.get("spacing", "Default") not in SPACING:
        found.append(f"{where}.spacing: {element['spacing']!r}")
    if kind == "Container":
        for i, item in enumerate(element.get("items", [])):
            found += _element(item, f"{where}.items[{i}]")
    if kind == "RichTextBlock":
        for i, run in enumerate(element.get("inlines", [])):
            if not isinstance(run, dict) or run.get("type") != "TextRun" or "text" not in run:
                found.append(f"{where}.inlines[{i}]: not a TextRun with text")
    if kind == "Image" and not _URI.match(str(element.get("url", ""))):
        found.append(f"{where}.url: not an http(s) or data:image URI")
    if kind == "FactSet":
        for i, fact in enumerate(element.get("facts", [])):
            if not isinstance(fact, dict) or {"title", "value"} - set(fact):
                found.append(f"{where}.facts[{i}]: needs title and value")
    return found
