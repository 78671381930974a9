"""Phrases a lead added with `/coach reglas agregar|permitir`: kept per workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class TeamPhraseRow:
    """One team phrase: flagged (with its category) or allowed (category None)."""

    id: int
    platform: str
    workspace: str
    phrase: str
    lang: str
    category: str | None
    suggestion: str | None
    created_by: str
    created_at: datetime


class TeamPhrases(Protocol):
    """A workspace's own phrases. Methods raise `StoreError`."""

    def add_team_phrase(
        self,
        platform: str,
        workspace: str,
        *,
        phrase: str,
        lang: str,
        category: str | None,
        suggestion: str | None,
        by: str,
        at: datetime,
    ) -> TeamPhraseRow:
        """Store a phrase (the same phrase and category again returns the existing row)."""
        ...

    def team_phrases(self, platform: str, workspace: str) -> list[TeamPhraseRow]:
        """The workspace's phrases, oldest first."""
        ...

    def remove_team_phrase(self, platform: str, workspace: str, phrase_id: int) -> bool:
        """Forget one phrase; False when the workspace has no such phrase."""
        ...
