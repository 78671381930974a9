"""Fixtures shared by the coaching tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def unwritable_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CALMA_CACHE_DIR under a plain file: no cache folder can be made there."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CALMA_CACHE_DIR", str(blocker / "calma"))
    return blocker / "calma"
