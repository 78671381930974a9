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


# ---- doors word nothing themselves ----

_SPANISH_LETTERS = frozenset("áéíóúñÁÉÍÓÚÑ¿¡«»")
_TEXT_HOLDERS = frozenset({"Card", "Section", "Button", "note_card"})


def _door_literals(source: str) -> list[tuple[int, str, str | None]]:
    """(line, text, what it is passed to) for each string literal of a module that is not a
    docstring; `what` names the call when the literal is an argument of Card(…) and kin."""
    tree = ast.parse(source)
    docstrings: set[int] = set()
    holders: dict[int, str] = {}
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            docstrings.add(id(body[0].value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            if name in _TEXT_HOLDERS:
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    for sub in ast.walk(arg):
                        holders[id(sub)] = name
    return [
        (node.lineno, node.value, holders.get(id(node)))
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    ]


def wording_in_doors(root: Path = ROOT) -> list[str]:
    """What in `adapters/` words a text for people: the catalogue imported, a Spanish literal,
    a literal put on a card, or a catalogue text copied."""
    from bot.i18n import LANGS, catalogue

    texts = {text for lang in LANGS for text in catalogue(lang).values() if " " in text}
    found: list[str] = []
    for path in sorted((root / "adapters").rglob("*.py")):
        where = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        found += [
            f"{where} imports {name}"
            for name in sorted(imports_of(path))
            if within(name, "bot.i18n")
        ]
        for line, text, holder in sorted(_door_literals(source)):
            if _SPANISH_LETTERS & set(text):
                found.append(f"{where}:{line} holds Spanish text {text!r}")
            elif holder is not None and text.strip():
                found.append(f"{where}:{line} words a {holder}: {text!r}")
            elif text in texts:
                found.append(f"{where}:{line} copies a catalogue text {text!r}")
    return found


def test_doors_word_nothing_themselves() -> None:
    """Every text a person reads comes from the service (its replies, CoachService.texts()), in
    their language; a door holds only operator-facing English (logs, HTTP errors)."""
    assert wording_in_doors() == []


def test_the_wording_check_finds_door_texts(tmp_path: Path) -> None:
    door = tmp_path / "adapters" / "x.py"
    door.parent.mkdir()
    door.write_text(
        '"""Docstrings may say «hola»."""\n'
        "from bot.i18n import t\n"
        'A = "¿Lo reviso?"\n'
        'B = Card(title="Answered privately")\n'
        'C = "Te respondo por nuestro chat privado 🙂"\n'
        'log.info("a line for the operator")\n',
        encoding="utf-8",
    )
    assert [hit.split(" ", 1)[1] for hit in wording_in_doors(tmp_path)] == [
        "imports bot.i18n",
        "imports bot.i18n.t",
        "holds Spanish text '¿Lo reviso?'",
        "words a Card: 'Answered privately'",
        "copies a catalogue text 'Te respondo por nuestro chat privado 🙂'",
    ]
