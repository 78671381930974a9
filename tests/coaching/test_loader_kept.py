"""The rules kept between runs (coaching/rules/loader.py): read back equal to what the files
give, never stale (a changed file is read again), and a broken kept file is ignored."""

from __future__ import annotations

import dataclasses
import marshal
import shutil
from pathlib import Path

import pytest

from coaching.rules import RULES, loader

FOLDER = Path(loader.__file__).parent


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CALMA_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the built-in rule files, to edit."""
    copy = tmp_path / "rules"
    copy.mkdir()
    for f in FOLDER.glob("*.yml"):
        shutil.copy(f, copy / f.name)
    return copy


class Reads:
    """Counts how often the rule files are read and checked (not taken from the kept file)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = loader._read_rules

        def counting(*args: object) -> tuple[loader.Rule, ...]:
            self.calls += 1
            return real(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(loader, "_read_rules", counting)


def _fields(rules: tuple[loader.Rule, ...]) -> list[tuple[object, ...]]:
    return [dataclasses.astuple(r) for r in rules]


def test_kept_rules_equal_the_files_and_are_not_read_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads(monkeypatch)
    first = loader.load_rules()
    assert reads.calls == 1
    again = loader.load_rules()
    assert reads.calls == 1  # from the kept file
    assert again == first == RULES  # regexes compare by text and flags
    assert _fields(again) == _fields(first)
    assert all(
        a.patterns[0].groupindex == b.patterns[0].groupindex
        for a, b in zip(again, first, strict=True)
    )


def test_a_changed_rule_file_is_read_again_never_taken_from_the_kept_rules(
    cache: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads(monkeypatch)
    loader.load_rules(folder)
    loader.load_rules(folder)
    assert reads.calls == 1
    path = folder / "judgement.es.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("patterns:", "patterns:\n    - '\\bregla nueva\\b'", 1), "utf-8")
    edited = loader.load_rules(folder)
    assert reads.calls == 2
    assert any(p.pattern == r"\bregla nueva\b" for r in edited for p in r.patterns)
    path.rename(folder / "judgement.es.yml.off")  # a file gone: read again too
    fewer = loader.load_rules(folder)
    assert reads.calls == 3
    assert not any(r.source == "judgement.es.yml" for r in fewer)


def test_the_key_holds_the_files_and_the_code_that_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [("judgement.es.yml", b"- id: a\n"), ("abuse.es.yml", b"- id: b\n")]
    base = loader._key(texts)
    assert loader._key(list(texts)) == base
    assert loader._key([texts[0], ("abuse.es.yml", b"- id: c\n")]) != base
    assert loader._key([texts[0], ("abuse.en.yml", b"- id: b\n")]) != base
    assert loader._key([texts[0], ("abuse.es.yml", b"- id: b\r\n")]) != base
    assert loader._key(texts[:1]) != base
    monkeypatch.setattr(loader, "_SOURCES", loader._SOURCES[:-1])
    assert loader._key(texts) != base


def test_rule_files_are_read_as_path_read_text_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_bytes("- id: ñ 👏\r\n  tip: 3\r  a: b\n".encode())
    assert loader._text(path.read_bytes()) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "content",
    [
        b"\x00garbage",
        marshal.dumps({"value": []}),
        marshal.dumps({"value": [(1, 2, 3)]}),
        marshal.dumps({"value": [tuple(["x"] * len(dataclasses.fields(loader.Rule)))]}),
    ],
)
def test_a_broken_or_wrong_kept_file_is_ignored(
    cache: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    first = loader.load_rules()
    [path] = cache.glob("parsed-rules-*.marshal")
    path.write_bytes(content)
    reads = Reads(monkeypatch)
    again = loader.load_rules()
    assert reads.calls == 1
    assert _fields(again) == _fields(first)


def test_a_kept_regex_that_does_not_compile_is_ignored(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = loader.load_rules()
    [path] = cache.glob("parsed-rules-*.marshal")
    data = marshal.loads(path.read_bytes())
    index = [f.name for f in dataclasses.fields(loader.Rule)].index("patterns")
    rule = list(data["value"][0])
    rule[index] = ("(unclosed",)
    data["value"][0] = tuple(rule)
    path.write_bytes(marshal.dumps(data))
    assert _fields(loader.load_rules()) == _fields(first)


@pytest.mark.usefixtures("unwritable_cache")
def test_an_unwritable_cache_folder_changes_nothing() -> None:
    assert loader.load_rules() == RULES
