"""Block Kit limits the real Web API enforces, for the stand-in to reject what Slack would.

Slack answers `invalid_blocks` (messages) or `invalid_arguments` (views) when a block breaks a
documented limit: https://api.slack.com/reference/block-kit/blocks and …/composition-objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MESSAGE_TEXT_MAX = 40_000  # chat.* `text` (msg_too_long above it)
MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
FIELD_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
CONTEXT_ELEMENTS_MAX = 10
ACTIONS_ELEMENTS_MAX = 25
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
ID_MAX = 255
INPUT_LABEL_MAX = 2000
INPUT_MAX_LENGTH = 3000
VIEW_TITLE_MAX = 24
PRIVATE_METADATA_MAX = 3000


def _text(obj: Any, where: str, limit: int, *, plain_only: bool = False) -> list[str]:
    """A text object: a known type, non-empty, within `limit` characters."""
    if not isinstance(obj, Mapping):
        return [f"{where}: missing text object"]
    kinds = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
    if obj.get("type") not in kinds:
        return [f"{where}: text type must be one of {kinds}"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"{where}: text must not be empty"]
    if len(text) > limit:
        return [f"{where}: text is {len(text)} characters, more than {limit}"]
    return []


def _element(element: Any, where: str) -> list[str]:
    if not isinstance(element, Mapping):
        return [f"{where}: not an object"]
    errors: list[str] = []
    if len(str(element.get("action_id", ""))) > ID_MAX:
        errors.append(f"{where}: action_id longer than {ID_MAX}")
    if element.get("type") == "button":
        errors += _text(element.get("text"), where, BUTTON_TEXT_MAX, plain_only=True)
        if len(str(element.get("value", ""))) > BUTTON_VALUE_MAX:
            errors.append(f"{where}: value longer than {BUTTON_VALUE_MAX}")
    if element.get("type") == "plain_text_input":
        max_length = element.get("max_length", INPUT_MAX_LENGTH)
        if not isinstance(max_length, int) or not 1 <= max_length <= INPUT_MAX_LENGTH:
            errors.append(f"{where}: max_length must be 1..{INPUT_MAX_LENGTH}")
        elif len(str(element.get("initial_value", ""))) > max_length:
            errors.append(f"{where}: initial_value longer than max_length")
    return errors


def _block(block: Any, where: str) -> list[str]:
    if not isinstance(block, Mapping):
        return [f"{where}: not an object"]
    kind = block.get("type")
    errors = (
        [f"{where}: block_id longer than {ID_MAX}"]
        if len(block.get("block_id", "")) > ID_MAX
        else []
    )
    if kind == "section":
        fields = block.get("fields") or []
        if "text" in block or not fields:
            errors += _text(block.get("text"), where, SECTION_TEXT_MAX)
        if len(fields) > SECTION_FIELDS_MAX:
            errors.append(f"{where}: more than {SECTION_FIELDS_MAX} fields")
        for i, field in enumerate(fields):
            errors += _text(field, f"{where}.fields[{i}]", FIELD_TEXT_MAX)
    elif kind == "header":
        errors += _text(block.get("text"), where, HEADER_TEXT_MAX, plain_only=True)
    elif kind == "context":
        elements = block.get("elements") or []
        if not elements or len(elements) > CONTEXT_ELEMENTS_MAX:
            errors.append(f"{where}: context needs 1..{CONTEXT_ELEMENTS_MAX} elements")
        for i, element in enumerate(elements):
            if isinstance(element, Mapping) and element.get("type") != "image":
                errors += _text(element, f"{where}.elements[{i}]", SECTION_TEXT_MAX)
    elif kind == "actions":
        elements = block.get("elements") or []
        if not elements or len(elements) > ACTIONS_ELEMENTS_MAX:
            errors.append(f"{where}: actions needs 1..{ACTIONS_ELEMENTS_MAX} elements")
        ids = [e.get("action_id") for e in elements if isinstance(e, Mapping)]
        if len(ids) != len(set(ids)):
            errors.append(f"{where}: repeated action_id")
        for i, element in enumerate(elements):
            errors += _element(element, f"{where}.elements[{i}]")
    elif kind == "input":
        errors += _text(block.get("label"), where, INPUT_LABEL_MAX, plain_only=True)
        errors += _element(block.get("element"), f"{where}.element")
    elif kind not in ("divider", "image", "rich_text"):
        errors.append(f"{where}: unknown block type {kind!r}")
    return errors


def block_errors(blocks: Any, *, max_blocks: int = MESSAGE_BLOCKS_MAX) -> list[str]:
    """Why Slack would refuse these blocks; empty when it would take them."""
    if blocks is None or blocks == "":
        return []
    if not isinstance(blocks, list):
        return ["blocks must be a JSON array"]
    errors = [f"more than {max_blocks} blocks"] if len(blocks) > max_blocks else []
    for i, block in enumerate(blocks):
        errors += _block(block, f"blocks[{i}]")
    return errors


def view_errors(view: Any) -> list[str]:
    """Why Slack would refuse this view (views.open / update / publish)."""
    if not isinstance(view, Mapping):
        return ["view must be a JSON object"]
    errors = block_errors(view.get("blocks") or [], max_blocks=VIEW_BLOCKS_MAX)
    if view.get("type") == "modal":
        errors += _text(view.get("title"), "title", VIEW_TITLE_MAX, plain_only=True)
        for key in ("submit", "close"):
            if key in view:
                errors += _text(view[key], key, VIEW_TITLE_MAX, plain_only=True)
    if len(str(view.get("private_metadata", ""))) > PRIVATE_METADATA_MAX:
        errors.append(f"private_metadata longer than {PRIVATE_METADATA_MAX}")
    return errors
