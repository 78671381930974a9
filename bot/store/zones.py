"""The zones leads chose: which workspaces keep one of their own (`/coach ajustes zona`).

A workspace without one (its zone is empty) follows CALMA_TZ / --tz of each start. A server lists
those with one at start-up, to say in one line where the flag does not apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class LeadZone:
    """A workspace whose lead chose its time zone."""

    platform: str
    workspace: str
    zone: str


class LeadZones(Protocol):
    """Methods raise `StoreError`."""

    def lead_zones(self) -> list[LeadZone]:
        """Every workspace with a zone a lead chose, by platform and id."""
        ...
