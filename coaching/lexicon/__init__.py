"""Word lists the coaching core reads as data (YAML files shipped with the package)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it


def load(name: str) -> Any:
    """The parsed YAML file `name` of this package."""
    source = resources.files("coaching.lexicon").joinpath(name)
    return yaml.load(source.read_text(encoding="utf-8"), Loader=_Loader)
