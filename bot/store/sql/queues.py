"""`Inbox` and `Outbox` in the SQL SQLite and PostgreSQL share: their items, completion and
counts. Both queues are claimed the same way (rows whose lease ended, oldest first, an attempt
counted each); each store words that claim once, for both tables (`_claim_leased`), and how
it learns a new row's id (`_insert_id`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from bot.store.base import InboxItem, OutboxItem
from bot.store.sql import SqlTables, guarded

INBOX_COLUMNS = "id, platform, key, body, received_at, attempts"
OUTBOX_COLUMNS = "id, platform, workspace, kind, payload, created_at, attempts"
INBOX_INSERT = (
    "INSERT INTO inbox (platform, key, body, received_at, claimed_by, lease_until)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
)
OUTBOX_INSERT = (
    "INSERT INTO outbox (platform, workspace, kind, payload, created_at, claimed_by,"
    " lease_until) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


class Claim(NamedTuple):
    """Rows of `table` matching `unhandled` whose lease ended, to claim for `owner`."""

    table: str
    columns: str
    unhandled: str
    platforms: Collection[str]
    owner: str
    now: datetime
    lease: timedelta
    limit: int


class SqlQueues(SqlTables):
    """The rows both queues hand out, and how a store claims them."""

    def _claim_leased(self, claim: Claim) -> list[dict[str, Any]]:
        """Claim the rows for `claim.owner` until `now + lease`, oldest first (by id); each
        row's `attempts` as counted by this claim."""
        raise NotImplementedError

    def _insert_id(self, sql: str, params: tuple[Any, ...]) -> int | None:
        """Run an INSERT; the new row's id, or None when ON CONFLICT DO NOTHING kept the old."""
        raise NotImplementedError

    def _renew(self, table: str, item_ids: Collection[int], owner: str, until: datetime) -> int:
        """Extend `owner`'s leases on these rows of `table` to `until`; how many it held."""
        if not item_ids:
            return 0
        marks = ", ".join("?" * len(item_ids))
        return self._rowcount(
            f"UPDATE {table} SET lease_until = ? WHERE claimed_by = ? AND id IN ({marks})"
            + (" AND done_at IS NULL" if table == "inbox" else ""),
            (self._at(until), owner, *item_ids),
        )

    def _inbox_item(self, row: dict[str, Any]) -> InboxItem:
        return InboxItem(
            id=row["id"],
            platform=row["platform"],
            key=row["key"],
            body=row["body"] or "",
            received_at=self._instant_required(row["received_at"]),
            attempts=row["attempts"],
        )

    def _outbox_item(self, row: dict[str, Any]) -> OutboxItem:
        return OutboxItem(
            id=row["id"],
            platform=row["platform"],
            workspace=row["workspace"],
            kind=row["kind"],
            payload=row["payload"],
            created_at=self._instant_required(row["created_at"]),
            attempts=row["attempts"],
        )


class SqlInbox(SqlQueues):
    """`Inbox` on either store's connection."""

    @guarded
    def inbox_put(
        self, platform: str, key: str, body: str, owner: str, now: datetime, lease: timedelta
    ) -> InboxItem | None:
        self._grouped()
        item_id = self._insert_id(
            INBOX_INSERT, (platform, key, body, self._at(now), owner, self._at(now + lease))
        )
        return None if item_id is None else InboxItem(item_id, platform, key, body, now, 1)

    @guarded
    def inbox_claim(
        self,
        platforms: Collection[str],
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int = 50,
    ) -> list[InboxItem]:
        if not platforms:
            return []
        rows = self._claim_leased(
            Claim("inbox", INBOX_COLUMNS, "done_at IS NULL", platforms, owner, now, lease, limit)
        )
        return [self._inbox_item(row) for row in rows]

    @guarded
    def inbox_renew(self, item_ids: Collection[int], owner: str, until: datetime) -> int:
        return self._renew("inbox", item_ids, owner, until)

    @guarded
    def inbox_done(self, item_id: int, now: datetime, error: str | None = None) -> None:
        self._grouped()
        self._rowcount(
            "UPDATE inbox SET done_at = ?, body = NULL, error = ?, lease_until = NULL WHERE id = ?",
            (self._at(now), None if error is None else error[:500], item_id),
        )

    @guarded
    def inbox_prune(self, older_than: datetime) -> int:
        return self._rowcount(
            "DELETE FROM inbox WHERE done_at IS NOT NULL AND received_at < ?",
            (self._at(older_than),),
        )


class SqlOutbox(SqlQueues):
    """`Outbox` on either store's connection."""

    @guarded
    def outbox_put(
        self,
        platform: str,
        workspace: str,
        kind: str,
        payload: str,
        owner: str,
        now: datetime,
        lease: timedelta,
    ) -> OutboxItem:
        self._grouped()
        item_id = self._insert_id(
            OUTBOX_INSERT,
            (platform, workspace, kind, payload, self._at(now), owner, self._at(now + lease)),
        )
        assert item_id is not None
        return OutboxItem(item_id, platform, workspace, kind, payload, now, 1)

    @guarded
    def outbox_claim(
        self,
        platforms: Collection[str],
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int = 50,
    ) -> list[OutboxItem]:
        if not platforms:
            return []
        rows = self._claim_leased(
            Claim("outbox", OUTBOX_COLUMNS, "TRUE", platforms, owner, now, lease, limit)
        )
        return [self._outbox_item(row) for row in rows]

    @guarded
    def outbox_renew(self, item_ids: Collection[int], owner: str, until: datetime) -> int:
        return self._renew("outbox", item_ids, owner, until)

    @guarded
    def outbox_sent(self, item_id: int) -> None:
        self._grouped()
        self._rowcount("DELETE FROM outbox WHERE id = ?", (item_id,))

    @guarded
    def outbox_depth(self) -> int:
        row = self._one("SELECT count(*) AS n FROM outbox")
        return int(row["n"]) if row else 0
