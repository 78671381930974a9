"""Open questions: what Coach asked a person and their next private line answers.

Kept in the store, not in memory, so a restart or another instance still takes the answer. The
body is whatever the service needs to resume (the note of a reminder, a time, a reminder id); it
is deleted when answered, replaced by the next question, or pruned once stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class QuestionRow:
    """One person's open question: its kind, the service's body for it, when it was asked."""

    kind: str
    body: str
    asked_at: datetime


class OpenQuestions(Protocol):
    """At most one open question per person. Methods raise `StoreError`."""

    def ask_question(
        self, platform: str, workspace: str, user: str, kind: str, body: str, at: datetime
    ) -> None:
        """Open a question for the person, replacing any earlier one."""
        ...

    def open_question(self, platform: str, workspace: str, user: str) -> QuestionRow | None:
        """The person's open question, however old (the caller decides when it is stale)."""
        ...

    def close_question(self, platform: str, workspace: str, user: str) -> bool:
        """Forget the person's question; whether there was one."""
        ...

    def prune_questions(self, asked_before: datetime) -> int:
        """Forget every question asked before the given instant; how many went."""
        ...
