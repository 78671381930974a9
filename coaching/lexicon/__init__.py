"""Word lists the coaching core reads as data (YAML files shipped with the package)."""

from __future__ import annotations

from importlib import resources
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
    source = resources.files("coaching.lexicon").joinpath(name)
    return parse(source.read_text(encoding="utf-8"))
