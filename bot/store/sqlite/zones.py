"""The zones leads chose, on SQLite."""

from __future__ import annotations

from bot.store.sqlite.connection import SqliteFile, guarded
from bot.store.zones import LeadZone


class SqliteLeadZones(SqliteFile):
    """`LeadZones` on the shared SQLite connection."""

    @guarded
    def lead_zones(self) -> list[LeadZone]:
        return [
            LeadZone(row["platform"], row["id"], row["default_tz"])
            for row in self.db.query(
                "SELECT platform, id, default_tz FROM workspaces WHERE default_tz <> ''"
                " ORDER BY platform, id"
            )
        ]
