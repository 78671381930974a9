"""People (settings and people) on every store: workspaces, users, channels, customers, rules."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Store
from tests.bot.store.peek import writes
from tests.bot.store.rows import P, W
from tests.fakes import FakeClock


def test_workspace_defaults_and_updates(any_store: Store) -> None:
    assert any_store.get_workspace(P, W) is None
    ws = any_store.ensure_workspace(P, W, installer="U9", default_tz="America/Mexico_City")
    assert (ws.default_lang, ws.default_tz, ws.daily_cap, ws.reminder_lead_minutes) == (
        "es",
        "America/Mexico_City",
        20,
        0,
    )
    assert ws.installer == "U9"
    updated = any_store.update_workspace(P, W, daily_cap=5, reminder_lead_minutes=10)
    assert (updated.daily_cap, updated.reminder_lead_minutes, updated.default_tz) == (
        5,
        10,
        "America/Mexico_City",
    )
    assert any_store.ensure_workspace(P, W, installer="someone else").installer == "U9"
    assert any_store.update_workspace("teams", "tenant", default_lang="en").default_lang == "en"


def test_user_settings_mute_and_roles(any_store: Store, clock: FakeClock) -> None:
    assert any_store.get_user(P, W, "U1") is None
    any_store.set_user_settings(P, W, "U1", tz="Europe/Madrid")
    user = any_store.set_user_settings(P, W, "U1", lang="en")
    assert (user.tz, user.lang, user.role, user.muted_until) == (
        "Europe/Madrid",
        "en",
        "agent",
        None,
    )
    assert user.updated_at == clock.now()
    until = clock.now() + timedelta(hours=1)
    assert any_store.mute(P, W, "U1", until).muted_until == until
    assert any_store.mute(P, W, "U1", None).muted_until is None
    any_store.set_role(P, W, "U2", "lead")
    any_store.set_role(P, W, "U1", "lead")
    assert any_store.leads(P, W) == ["U1", "U2"]
    any_store.set_role(P, W, "U1", "agent")
    assert any_store.leads(P, W) == ["U2"]
    assert any_store.get_user(P, W, "U1").tz == "Europe/Madrid"  # type: ignore[union-attr]
    assert any_store.leads(P, "other") == []


def test_channel_pause(any_store: Store) -> None:
    assert not any_store.is_channel_paused(P, W, "C1")
    any_store.set_channel_paused(P, W, "C1", True)
    assert any_store.is_channel_paused(P, W, "C1")
    assert not any_store.is_channel_paused(P, W, "C2")
    any_store.set_channel_paused(P, W, "C1", False)
    assert not any_store.is_channel_paused(P, W, "C1")


def test_customers(any_store: Store) -> None:
    assert any_store.add_customer(P, W, "UC1")
    assert not any_store.add_customer(P, W, "UC1")
    any_store.add_customer(P, W, "UC2")
    assert any_store.customers(P, W) == {"UC1", "UC2"}
    assert any_store.remove_customer(P, W, "UC1")
    assert not any_store.remove_customer(P, W, "UC1")
    assert any_store.customers(P, W) == {"UC2"}


def test_rekey_user_moves_a_lead_stored_under_a_teams_member_id(any_store: Store) -> None:
    old, new = "29:1Ana", "a1a2a3a4-aad"
    any_store.set_role("teams", "t1", old, "lead")
    any_store.set_role("teams", "t1", "lucia", "lead")
    assert any_store.rekey_user("teams", "t1", old, new)
    assert any_store.leads("teams", "t1") == sorted(["lucia", new])
    assert any_store.get_user("teams", "t1", old) is None
    assert not any_store.rekey_user("teams", "t1", old, new)  # nothing left to move


def test_rekey_user_keeps_the_settings_already_under_the_new_id(any_store: Store) -> None:
    old, new = "29:1Ana", "a1a2a3a4-aad"
    any_store.set_user_settings("teams", "t1", new, tz="Europe/Madrid", lang="en")
    any_store.set_role("teams", "t1", old, "lead")
    assert any_store.rekey_user("teams", "t1", old, new)
    row = any_store.get_user("teams", "t1", new)
    assert row is not None and (row.role, row.tz, row.lang) == ("lead", "Europe/Madrid", "en")
    assert any_store.get_user("teams", "t1", old) is None
    # an agent row under the old id never demotes a lead under the new one
    any_store.set_role("teams", "t1", old, "agent")
    assert any_store.rekey_user("teams", "t1", old, new)
    assert any_store.leads("teams", "t1") == [new]


def test_rekey_user_moves_a_customer_listing(any_store: Store) -> None:
    any_store.add_customer("teams", "t1", "29:1Carlos")
    any_store.add_customer("teams", "t2", "29:1Carlos")  # another tenant is left alone
    assert any_store.rekey_user("teams", "t1", "29:1Carlos", "c1c2-aad")
    assert any_store.customers("teams", "t1") == {"c1c2-aad"}
    assert any_store.customers("teams", "t2") == {"29:1Carlos"}
    assert any_store.get_user("teams", "t1", "c1c2-aad") is None  # no user row made up
    any_store.add_customer("teams", "t1", "29:1Carlos")
    assert any_store.rekey_user("teams", "t1", "29:1Carlos", "c1c2-aad")  # already listed: merged
    assert any_store.customers("teams", "t1") == {"c1c2-aad"}


def test_rekey_user_with_nothing_to_move_writes_nothing(any_store: Store) -> None:
    changes = writes(any_store)
    assert not any_store.rekey_user("teams", "t1", "29:1Nadie", "aad")
    assert not any_store.rekey_user("teams", "t1", "same", "same")
    assert writes(any_store) == changes


def test_rules_disable_enable(any_store: Store) -> None:
    assert any_store.disable_rule(P, W, "deberia", by="U9")
    assert not any_store.disable_rule(P, W, "deberia")
    assert any_store.disabled_rules(P, W) == {"deberia"}
    assert any_store.disabled_rules(P, "other") == frozenset()
    assert any_store.enable_rule(P, W, "deberia")
    assert not any_store.enable_rule(P, W, "deberia")
    assert any_store.disabled_rules(P, W) == frozenset()
