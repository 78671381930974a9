"""What the SQLite and PostgreSQL stores share: the SQL both dialects agree on and the row mapping.

The statements here use `?` marks and quote `"user"` (PostgreSQL reserves the word; SQLite takes
the quotes too). Each store supplies how it runs a statement (`_one`, `_all`, `_rowcount`), which
driver errors it explains, and how it keeps an instant (`_at` to write, `_instant` to read): UTC ISO
text on SQLite, `timestamptz` on PostgreSQL. Whatever needs a transaction, or where the dialects
differ, stays in `bot/store/sqlite/` and `bot/store/postgres/`.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, ClassVar, Concatenate, ParamSpec, TypeVar

from bot.errors import StoreError
from bot.ports import Clock
from bot.store.reads import ReadCache

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="SqlTables")


def guarded(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Turn the driver's errors into StoreError subclasses that say what to do."""

    @functools.wraps(method)
    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except self.DRIVER_ERRORS as exc:
            raise self.explain(exc) from exc

    return wrapper


class SqlTables:
    """The few primitives a store gives the shared tables."""

    DRIVER_ERRORS: ClassVar[tuple[type[Exception], ...]] = ()
    _clock: Clock
    reads: ReadCache  # a workspace's settings, read once a second (bot/store/reads.py)

    def explain(self, exc: BaseException) -> StoreError:
        raise NotImplementedError

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> dict[str, Any] | None:
        raise NotImplementedError

    def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _rowcount(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        raise NotImplementedError

    def _grouped(self) -> None:
        """Where a store gathers the writes of one turn of the event loop into one commit (SQLite
        does), let the next write join them; elsewhere every call commits itself."""

    async def settled(self) -> None:
        """Return once the writes made so far are committed (at once where each call commits
        itself)."""

    @contextlib.contextmanager
    def _writing(self, platform: str, workspace: str) -> Iterator[None]:
        """A write to a workspace's settings: what is kept of them is forgotten before (the
        write's own read-back is fresh) and after (so is every read that follows)."""
        self.reads.forget(platform, workspace)
        try:
            yield
        finally:
            self.reads.forget(platform, workspace)

    def _changed(self, sql: str, params: tuple[Any, ...] = ()) -> bool:
        return self._rowcount(sql, params) == 1

    @staticmethod
    def _at(moment: datetime) -> Any:
        """An instant as the database keeps it."""
        raise NotImplementedError

    @staticmethod
    def _instant(value: Any) -> datetime | None:
        """An instant as the database hands it back (None stays None)."""
        raise NotImplementedError

    def _instant_required(self, value: Any) -> datetime:
        moment = self._instant(value)
        assert moment is not None
        return moment
