"""The zones leads chose, on PostgreSQL."""

from __future__ import annotations

from bot.store.postgres.connection import PgDatabase, guarded
from bot.store.zones import LeadZone


class PgLeadZones(PgDatabase):
    """`LeadZones` on the shared pool."""

    @guarded
    def lead_zones(self) -> list[LeadZone]:
        return [
            LeadZone(row["platform"], row["id"], row["default_tz"])
            for row in self._all(
                "SELECT platform, id, default_tz FROM workspaces WHERE default_tz <> ''"
                " ORDER BY platform, id"
            )
        ]
