"""Adaptive Cards checked against the official Adaptive Cards 1.5 JSON schema (adaptive-card.json,
JSON Schema draft-06), vendored in `schema/` (where it comes from: `schema/PROVENANCE.md`).

Teams' chart elements (`Chart.*`) are Teams extensions that the schema does not know: a host
without charts draws the chart's `fallback` instead, so the card is validated with each chart
replaced by its fallback (which must be an element the schema knows), and the chart itself is
checked for the shape Teams documents (a title, `data` series of `{x, y}` points).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft6Validator
from jsonschema.exceptions import ValidationError

SCHEMA_FILE = Path(__file__).parent / "schema" / "adaptive-card-1.5.json"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


@cache
def validator() -> Draft6Validator:
    """The official schema, checked itself before use."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft6Validator.check_schema(schema)
    return Draft6Validator(schema)


def errors(card: dict[str, Any]) -> list[str]:
    """Every way `card` breaks the Adaptive Cards 1.5 schema (or a chart's shape); [] if none."""
    found: list[str] = []
    drawn = _without_charts(card, "$", found)
    if not isinstance(drawn, dict) or "version" not in drawn:
        found.append("$.version: a top-level card needs a version")
    for error in validator().iter_errors(drawn):
        deepest = _deepest(error)
        path = deepest.absolute_path
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
        found.append(f"{where}: {deepest.message[:300]}")
    return found


def attachment_errors(activity: Any) -> list[str]:
    """The schema errors of every Adaptive Card an activity carries (by attachment index)."""
    if not isinstance(activity, dict):
        return []
    found: list[str] = []
    for i, attachment in enumerate(activity.get("attachments") or []):
        if isinstance(attachment, dict) and attachment.get("contentType") == ADAPTIVE_CARD:
            found += [f"attachments[{i}] {e}" for e in errors(attachment.get("content") or {})]
    return found


def _deepest(error: ValidationError) -> ValidationError:
    """Into an `anyOf` of element kinds: the complaint of the kind whose `type` matched."""
    while error.context:
        wrong_kind = {
            e.relative_schema_path[0]
            for e in error.context
            if e.validator == "enum" and list(e.relative_path)[-1:] == ["type"]
        }
        fitting = [e for e in error.context if e.relative_schema_path[0] not in wrong_kind]
        if not fitting:
            break  # no kind has this type: the anyOf's own message says so
        error = max(fitting, key=lambda e: len(e.absolute_path))
    return error


def _without_charts(node: Any, where: str, found: list[str]) -> Any:
    """A copy of `node` with every `Chart.*` element replaced by its fallback."""
    if isinstance(node, list):
        return [_without_charts(item, f"{where}[{i}]", found) for i, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    if isinstance(kind, str) and kind.startswith("Chart."):
        found += _chart_shape(node, where)
        fallback = node.get("fallback")
        if not isinstance(fallback, dict):
            found.append(f"{where}: a {kind} without an element as fallback")
            return {"type": "TextBlock", "text": ""}
        return _without_charts(fallback, f"{where}.fallback", found)
    return {key: _without_charts(value, f"{where}.{key}", found) for key, value in node.items()}


def _chart_shape(chart: dict[str, Any], where: str) -> list[str]:
    """A Teams chart: a string title and series of {legend, values: [{x, y: number}]}."""
    found: list[str] = []
    if not isinstance(chart.get("title", ""), str):
        found.append(f"{where}.title: not a string")
    data = chart.get("data")
    if not isinstance(data, list) or not data:
        return [*found, f"{where}.data: no series"]
    for i, series in enumerate(data):
        values = series.get("values") if isinstance(series, dict) else None
        if not isinstance(values, list) or not all(
            isinstance(v, dict)
            and isinstance(v.get("x"), str)
            and isinstance(v.get("y"), int | float)
            and not isinstance(v.get("y"), bool)
            for v in values
        ):
            found.append(f"{where}.data[{i}].values: not a list of {{x: text, y: number}}")
    return found
