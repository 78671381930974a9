"""What the engine derives from each built-in pattern (its literals and reach), kept between runs.

Parsing every rule pattern again and walking its tree was about a third of `calma analyze`'s
start-up. The result depends only on the pattern's text and on the code that derives it, so it
is kept in a file named by a hash of that code (coaching/prefilter.py, coaching/engine.py) and
of the Python version, one entry per pattern text: a pattern missing from the file (a new or
edited rule) is derived again and the file rewritten. The folder is $CALMA_CACHE_DIR, else
$XDG_CACHE_HOME/calma, else ~/.cache/calma; a file that cannot be read or written is ignored
(everything is then derived, as without a cache). Nothing here ever changes a result.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

# (the literals every match contains, sorted, or None; how far a match reaches around one)
Derived = tuple[tuple[str, ...] | None, int | None]
_SOURCES = ("prefilter.py", "engine.py")


def cache_dir() -> Path:
    """Where the derived data is kept."""
    if os.environ.get("CALMA_CACHE_DIR"):
        return Path(os.environ["CALMA_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "calma"


def _path() -> Path:
    h = hashlib.sha256(sys.version.encode())
    here = Path(__file__).parent
    for name in _SOURCES:
        h.update((here / name).read_bytes())
    return cache_dir() / f"patterns-{h.hexdigest()[:20]}.marshal"


def _read(path: Path) -> dict[str, Derived]:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, Derived]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".patterns-")
        with os.fdopen(fd, "wb") as f:
            f.write(marshal.dumps(data))
        os.replace(tmp, path)
    except OSError:
        pass


def _valid(entry: object) -> bool:
    if not isinstance(entry, tuple) or len(entry) != 2:
        return False
    lits, reach = entry
    return (
        lits is None or (isinstance(lits, tuple) and all(isinstance(w, str) and w for w in lits))
    ) and (reach is None or type(reach) is int)


def derived(patterns: Iterable[str], derive: Callable[[str], Derived]) -> dict[str, Derived]:
    """`derive(p)` for every pattern text, from the cache file where it holds the entry."""
    try:
        path: Path | None = _path()
    except OSError:
        path = None
    known = _read(path) if path is not None else {}
    out: dict[str, Derived] = {}
    missing = False
    for p in patterns:
        if p in out:
            continue
        entry = known.get(p)
        if entry is None or not _valid(entry):
            entry = known[p] = derive(p)
            missing = True
        out[p] = entry
    if missing and path is not None:
        _write(path, known)
    return out
