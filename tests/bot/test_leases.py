"""Which leases an instance renews: those ending within half a lease, for work held less than
`max_hold`; released work is never renewed."""

from __future__ import annotations

from datetime import timedelta

from bot.errors import StoreError
from bot.leases import HeldRows
from tests.bot.conftest import T0

LEASE = timedelta(seconds=20)


async def test_leases_are_renewed_when_half_spent_and_no_longer_than_max_hold() -> None:
    held = HeldRows(LEASE, max_hold=LEASE * 3)
    held.hold(1, T0)
    held.hold(0, T0)  # not a kept row: nothing to renew
    held.hold(2, T0 + timedelta(seconds=5))
    calls: list[list[int]] = []

    async def extend(ids: list[int], until: object) -> int:
        calls.append(ids)
        return len(ids)

    assert held.to_renew(T0 + timedelta(seconds=9)) == []
    assert await held.renew(T0 + timedelta(seconds=10), extend, "rows") == 1
    assert calls == [[1]]
    assert held.to_renew(T0 + timedelta(seconds=15)) == [2]
    held.release(2)
    assert held.to_renew(T0 + timedelta(seconds=19)) == []  # row 1 renewed until 30 s
    assert held.to_renew(T0 + timedelta(seconds=59)) == [1]
    assert held.to_renew(T0 + timedelta(seconds=60)) == []  # held three leases: let it go
    assert len(held) == 1


async def test_a_database_that_refuses_the_renewal_is_logged_not_raised() -> None:
    held = HeldRows(LEASE)
    held.hold(7, T0)

    async def refuse(ids: list[int], until: object) -> int:
        raise StoreError("database is locked")

    assert await held.renew(T0 + LEASE, refuse, "sends") == 0
    assert held.to_renew(T0 + LEASE) == [7]  # tried again at the next sweep
