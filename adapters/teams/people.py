"""People named in a reply (bot.model.person), shown in Teams by their display name.

Teams has no mention that works inside an Adaptive Card's text runs, and an id means nothing to a
reader; so a door names each person from what it knows — the mentions of the command being
answered, then the name kept with the person's conversation reference or seed — and otherwise
says "someone (id …f3f4)". The markers never reach Teams.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.model import Card, people_in


def people_of(card: Card) -> list[str]:
    """The ids of the people the card names."""
    return people_in(card.marked_text())


def named(
    card: Card,
    names: Mapping[str, str],
    someone: Callable[[str], str],
    lookup: Callable[[str], str | None] = lambda _user: None,
) -> Card:
    """The card with each person shown by name: `names`, then `lookup`, else `someone` (the
    service's words for a person it cannot name)."""

    def name(user: str) -> str:
        return names.get(user) or lookup(user) or someone(user)

    return card.with_people(name)
