"""Imports point one way: app → adapters → bot → coaching; platform SDKs stay in their doors.

Every module's imports (top level or inside functions, `import x` or `from x import y`) are read
with `ast`, so a late import inside a handler counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ("coaching", "bot", "adapters", "app")


def imports_of(path: Path) -> set[str]:
    """Every module name `path` imports (absolute names; relative imports are not used here)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import"
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def modules(room: str) -> list[tuple[str, set[str]]]:
    """(path relative to the root, imported names) for every module of a room."""
    return [
        (path.relative_to(ROOT).as_posix(), imports_of(path))
        for path in sorted((ROOT / room).rglob("*.py"))
    ]


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def offenders(room: str, forbidden: tuple[str, ...], *, outside: str = "") -> list[str]:
    """`path imports name` for each import of a forbidden package by a module of `room`."""
    return [
        f"{path} imports {name}"
        for path, names in modules(room)
        if not (outside and path.startswith(outside))
        for name in sorted(names)
        if any(within(name, package) for package in forbidden)
    ]


@pytest.mark.parametrize(
    ("room", "forbidden"),
    [
        ("coaching", ("bot", "adapters", "app")),
        ("bot", ("adapters", "app")),
        ("adapters", ("app",)),
    ],
)
def test_imports_point_one_way(room: str, forbidden: tuple[str, ...]) -> None:
    assert offenders(room, forbidden) == []


@pytest.mark.parametrize(
    ("sdk", "home"),
    [
        ("botbuilder", "adapters/teams/"),
        ("botframework", "adapters/teams/"),
        ("slack_bolt", "adapters/slack/"),
        ("slack_sdk", "adapters/slack/"),
    ],
)
def test_a_platform_sdk_is_imported_only_by_its_door(sdk: str, home: str) -> None:
    found = [hit for room in ROOMS for hit in offenders(room, (sdk,), outside=home)]
    assert found == []


def test_no_door_imports_the_store() -> None:
    assert offenders("adapters", ("bot.store",)) == []


def test_no_door_reaches_into_the_services_collaborators() -> None:
    """Doors ask CoachService; `service.deps` (store, settings, reminders…) is the service's own."""
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted((ROOT / "adapters").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "deps"
    ]
    assert found == []


def test_the_check_sees_late_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from adapters.slack import door\n    import app.cli\n")
    assert {"adapters.slack", "adapters.slack.door", "app.cli"} <= imports_of(module)
