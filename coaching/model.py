"""Values the coaching core returns: findings about wording and promised follow-ups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar

Category = Literal[
    "judgement", "defensive", "condescending", "overpromise", "abuse", "generic_empathy"
]
CATEGORIES: tuple[Category, ...] = (
    "judgement",
    "defensive",
    "condescending",
    "overpromise",
    "abuse",
    # A message that is only a generic empathy formula: a gentle hint (tip 1), never a fault.
    "generic_empathy",
)
Lang = Literal["es", "en"]
Role = Literal["agent", "customer"]
# Spanish forms of address (vosotros: the plural of tú in Spain); English messages use "you".
Register = Literal["usted", "tu", "vos", "vosotros", "you"]


@dataclass(frozen=True)
class Finding:
    """One line that may hurt the conversation, with the words that triggered it."""

    category: Category
    rule: str
    start: int
    end: int
    excerpt: str
    explanation: str
    suggestion: str
    tip: int


@dataclass(frozen=True)
class FollowUp:
    """A commitment by the agent to act later, resolved to a moment in time."""

    due: datetime
    start: int
    end: int
    excerpt: str


@dataclass(frozen=True)
class Analysis:
    """Everything `analyze` learned about one message.

    The form of address is worked out on first use (most lines never need it): `register_of`
    is a memoised callable; read it as `analysis.register`.
    """

    lang: Lang
    register_of: Callable[[], Register] = field(repr=False, compare=False)
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    followups: tuple[FollowUp, ...] = field(default_factory=tuple)

    @property
    def register(self) -> Register:
        """usted, tu, vos (Spanish) or you (English)."""
        return self.register_of()


T = TypeVar("T")
_new = object.__new__
_set_attr = object.__setattr__


def made(cls: type[T], fields: dict[str, Any]) -> T:
    """What `cls(**fields)` makes for a frozen dataclass without slots (`fields`: every field,
    in order), made faster: the instance dict set whole, where the dataclass's __init__ calls
    object.__setattr__ for each field. For the values made for every line (`Finding`,
    `Analysis`); orjson writes the dict as it is."""
    obj: T = _new(cls)
    _set_attr(obj, "__dict__", fields)
    return obj
