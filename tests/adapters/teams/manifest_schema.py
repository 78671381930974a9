"""A hand-written subset of the Teams manifest v1.19 JSON schema, and a tiny validator for it.

No internet for the real schema: this keeps its required fields, enums, formats and limits.
"""

from __future__ import annotations

import re
from typing import Any

GUID = r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"
HTTPS = r"^https://"
LANGUAGE_TAG = r"^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8}){0,2}$"
SEMVER = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$"


def _s(**kw: Any) -> dict[str, Any]:
    return {"type": "string", **kw}


COMMAND = {
    "type": "object",
    "required": ["title", "description"],
    "properties": {"title": _s(maxLength=32), "description": _s(maxLength=128)},
}
BOT = {
    "type": "object",
    "required": ["botId", "scopes"],
    "properties": {
        "botId": _s(pattern=GUID),
        "scopes": {
            "type": "array",
            "minItems": 1,
            "maxItems": 3,
            "items": {"enum": ["team", "personal", "groupChat"]},
        },
        "supportsFiles": {"type": "boolean"},
        "isNotificationOnly": {"type": "boolean"},
        "commandLists": {
            "type": "array",
            "maxItems": 3,
            "items": {
                "type": "object",
                "required": ["scopes", "commands"],
                "properties": {
                    "scopes": {
                        "type": "array",
                        "items": {"enum": ["team", "personal", "groupChat"]},
                    },
                    "commands": {"type": "array", "maxItems": 10, "items": COMMAND},
                },
            },
        },
    },
}
MANIFEST: dict[str, Any] = {
    "type": "object",
    "required": [
        "manifestVersion",
        "version",
        "id",
        "developer",
        "name",
        "description",
        "icons",
        "accentColor",
    ],
    "properties": {
        "$schema": _s(pattern=r"/v1\.19/MicrosoftTeams\.schema\.json$"),
        "manifestVersion": {"enum": ["1.19"]},
        "version": _s(pattern=SEMVER, maxLength=256),
        "id": _s(pattern=GUID),
        "localizationInfo": {
            "type": "object",
            "required": ["defaultLanguageTag"],
            "properties": {
                "defaultLanguageTag": _s(pattern=LANGUAGE_TAG),
                "additionalLanguages": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["languageTag", "file"],
                        "properties": {
                            "languageTag": _s(pattern=LANGUAGE_TAG),
                            "file": _s(pattern=r"\.json$"),
                        },
                    },
                },
            },
        },
        "developer": {
            "type": "object",
            "required": ["name", "websiteUrl", "privacyUrl", "termsOfUseUrl"],
            "properties": {
                "name": _s(minLength=1, maxLength=32),
                "websiteUrl": _s(pattern=HTTPS, maxLength=2048),
                "privacyUrl": _s(pattern=HTTPS, maxLength=2048),
                "termsOfUseUrl": _s(pattern=HTTPS, maxLength=2048),
            },
        },
        "name": {
            "type": "object",
            "required": ["short"],
            "properties": {"short": _s(minLength=1, maxLength=30), "full": _s(maxLength=100)},
        },
        "description": {
            "type": "object",
            "required": ["short", "full"],
            "properties": {"short": _s(maxLength=80), "full": _s(maxLength=4000)},
        },
        "icons": {
            "type": "object",
            "required": ["outline", "color"],
            "properties": {"outline": _s(maxLength=2048), "color": _s(maxLength=2048)},
        },
        "accentColor": _s(pattern=r"^#[0-9a-fA-F]{6}$"),
        "bots": {"type": "array", "maxItems": 1, "items": BOT},
        "validDomains": {"type": "array", "maxItems": 16, "items": _s(maxLength=2048)},
        "webApplicationInfo": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": _s(pattern=GUID), "resource": _s(maxLength=2048)},
        },
        "authorization": {
            "type": "object",
            "properties": {
                "permissions": {
                    "type": "object",
                    "properties": {
                        "resourceSpecific": {
                            "type": "array",
                            "maxItems": 16,
                            "items": {
                                "type": "object",
                                "required": ["name", "type"],
                                "properties": {
                                    "name": _s(maxLength=128),
                                    "type": {"enum": ["Application", "Delegated"]},
                                },
                            },
                        }
                    },
                }
            },
        },
    },
}
LOCALIZATION: dict[str, Any] = {
    "type": "object",
    "keys": (
        r"^(\$schema|name\.short|name\.full|description\.short|description\.full"
        r"|bots\[0\]\.commandLists\[[0-2]\]\.commands\[[0-9]\]\.(title|description))$"
    ),
    "required": ["name.short", "description.short", "description.full"],
    "properties": {"name.short": _s(maxLength=30), "description.short": _s(maxLength=80)},
}
_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


def errors(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """Every way `value` breaks `schema` (type, enum, required, pattern, lengths, item counts)."""
    found: list[str] = []
    kind = schema.get("type")
    if kind and not isinstance(value, _TYPES[kind]):
        return [f"{where}: expected {kind}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)):
            found.append(f"{where}: longer than {schema['maxLength']}")
        if len(value) < schema.get("minLength", 0):
            found.append(f"{where}: shorter than {schema['minLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", len(value)):
            found.append(f"{where}: more than {schema['maxItems']} items")
        if len(value) < schema.get("minItems", 0):
            found.append(f"{where}: fewer than {schema['minItems']} items")
        for i, item in enumerate(value):
            found += errors(item, schema.get("items", {}), f"{where}[{i}]")
    if isinstance(value, dict):
        found += [f"{where}: missing {k}" for k in schema.get("required", []) if k not in value]
        if "keys" in schema:
            found += [f"{where}: unknown key {k}" for k in value if not re.match(schema["keys"], k)]
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                found += errors(value[key], sub, f"{where}.{key}")
    return found
