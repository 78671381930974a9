"""manifest.yml declares exactly what the Slack door handles, with only the scopes it uses."""

from __future__ import annotations

from adapters.slack import ids
from tests.adapters.slack.manifest_check import load_manifest, manifest_listeners

SCOPES = {
    "app_mentions:read",
    "channels:history",
    "groups:history",
    "chat:write",
    "commands",
    "files:write",
    "im:history",
    "im:write",
    "users:read",
}


def test_manifest_parses_with_spanish_display_info_and_bot_user():
    m = load_manifest()
    assert m["display_information"]["name"] == "Calma"
    assert "atención al cliente" in m["display_information"]["description"]
    assert len(m["display_information"]["description"]) <= 140
    assert 175 <= len(m["display_information"]["long_description"]) <= 4000
    assert m["features"]["bot_user"]["display_name"] == "Coach"


def test_slash_command_and_shortcuts():
    features = load_manifest()["features"]
    (command,) = features["slash_commands"]
    assert command["command"] == ids.COMMAND and "revisar" in command["usage_hint"]
    shortcuts = {s["callback_id"]: s for s in features["shortcuts"]}
    assert shortcuts[ids.SHORTCUT_CHECK_MESSAGE]["type"] == "message"
    assert shortcuts[ids.SHORTCUT_CHECK_MESSAGE]["name"] == "Revisar con Coach"
    assert shortcuts[ids.SHORTCUT_CHECK_DRAFT]["type"] == "global"
    assert shortcuts[ids.SHORTCUT_CHECK_DRAFT]["name"] == "Revisar borrador"


def test_only_the_scopes_used():
    assert set(load_manifest()["oauth_config"]["scopes"]["bot"]) == SCOPES


def test_events_need_their_scopes():
    m = load_manifest()
    events = set(m["settings"]["event_subscriptions"]["bot_events"])
    assert events == {
        "message.channels",
        "message.groups",
        "message.im",
        "app_home_opened",
        "app_mention",
        "app_uninstalled",
        "tokens_revoked",
    }
    needs = {"message.channels": "channels:history", "message.groups": "groups:history"}
    needs["message.im"] = "im:history"
    needs["app_mention"] = "app_mentions:read"
    assert {needs[e] for e in events if e in needs} <= set(m["oauth_config"]["scopes"]["bot"])


def test_socket_mode_interactivity_and_home():
    m = load_manifest()
    assert m["settings"]["socket_mode_enabled"] is True
    assert m["settings"]["interactivity"]["is_enabled"] is True
    home = m["features"]["app_home"]
    assert home["home_tab_enabled"] is True and home["messages_tab_enabled"] is True


def test_no_request_urls_while_in_socket_mode():
    m = load_manifest()
    assert "request_url" not in m["settings"]["event_subscriptions"]
    assert "request_url" not in m["settings"]["interactivity"]
    assert all("url" not in c for c in m["features"]["slash_commands"])


def test_manifest_listeners():
    assert manifest_listeners() == {
        "event:message",
        "event:app_home_opened",
        "event:app_mention",
        "event:app_uninstalled",
        "event:tokens_revoked",
        f"command:{ids.COMMAND}",
        f"shortcut:{ids.SHORTCUT_CHECK_MESSAGE}",
        f"shortcut:{ids.SHORTCUT_CHECK_DRAFT}",
    }
