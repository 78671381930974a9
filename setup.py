"""The coaching core, compiled when Calma is installed for use (a wheel, `pip install .`, the
Docker image): the same Python modules turned into C extensions by Cython, about a fifth less
time a line for `calma analyze` (bench/bench_floor.py --installed).

Nothing changes in what they do: Cython reads the modules as plain Python (annotations
ignored), and CI checks the compiled build against the same tests (.ci/run). Where no C
compiler (or no Cython) is found, the modules stay pure Python and give the same answers. An
editable install (`pip install -e .`, the README's commands) keeps them pure too, so an edited
module is what runs; CALMA_PURE=1 keeps a wheel pure.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).resolve().parent
# Every module of the coaching core, and the per-line glue of `calma analyze --jsonl`.
COMPILED = [
    *sorted(
        str(path.relative_to(ROOT))
        for pattern in ("coaching/*.py", "coaching/rules/*.py")
        for path in ROOT.glob(pattern)
        if path.name != "__init__.py"
    ),
    "app/jsonl.py",
    "bot/message_time.py",
]


def _extensions() -> list[object]:
    if "editable_wheel" in sys.argv or os.environ.get("CALMA_PURE"):
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:  # a build without its build requirements (--no-build-isolation)
        return []
    from setuptools import Extension

    modules = [
        Extension(name.removesuffix(".py").replace("/", "."), [name], optional=True)
        for name in COMPILED
    ]
    return list(
        cythonize(
            modules,
            compiler_directives={"language_level": 3, "annotation_typing": False},
            build_dir="build/cython",  # the C files, out of the source tree
            quiet=True,
            nthreads=os.cpu_count() or 1,
        )
    )


if __name__ == "__main__":  # as setuptools runs it; .ci/run reads COMPILED alone
    # build_ext compiles the C files side by side (one a core), not one after the other.
    setup(ext_modules=_extensions(), options={"build_ext": {"parallel": os.cpu_count() or 1}})
