"""Word lists the coaching core reads as data (YAML files shipped with the package)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

# libyaml's safe loader when PyYAML was built with it (about 5x faster at start-up), else Python's.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(name: str) -> Any:
    """The parsed YAML file `name` of this package."""
    source = resources.files("coaching.lexicon").joinpath(name)
    return yaml.load(source.read_text(encoding="utf-8"), Loader=YAML_LOADER)
