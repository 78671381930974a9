"""Word lists the coaching core reads as data (YAML files shipped with the package)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coaching.derived import kept_value


def parse(text: str) -> Any:
    """The YAML document `text` (safe loader), kept between runs by its text (coaching/derived.py):
    a start with the kept copy neither imports nor runs the YAML parser."""
    return kept_value("yaml", text, lambda: _parsed(text))


def _parsed(text: str) -> Any:
    import yaml  # only when the kept copy is missing: about 30 ms of start-up

    # libyaml's safe loader when PyYAML was built with it (about 5x faster), else Python's.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


def load(name: str) -> Any:
    """The parsed YAML file `name` of this package."""
    # Beside this module (an installed package is a folder): importlib.resources would import
    # zipfile and its readers, about 3 ms of every start-up.
    return parse(Path(__file__).with_name(name).read_text(encoding="utf-8"))
