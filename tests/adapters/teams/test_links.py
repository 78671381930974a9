"""Deep links to Teams messages, on recorded activities (pure)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from adapters.teams.links import message_link
from adapters.teams.translate import translate
from bot.model import IncomingMessage
from tests.adapters.teams.payloads import CHANNEL, TENANT, load

GROUP = "0f1e2d3c-4b5a-4697-8877-665544332211"


def parts(url: str) -> tuple[str, dict[str, list[str]]]:
    split = urlsplit(url)
    return f"{split.scheme}://{split.netloc}{split.path}", parse_qs(split.query)


def test_a_reply_in_a_channel_thread_links_to_itself_under_its_root():
    activity = load("channel_message_rsc")
    activity["channelData"]["team"]["aadGroupId"] = GROUP
    base, query = parts(message_link(activity) or "")
    assert base == f"https://teams.microsoft.com/l/message/{CHANNEL}/1762187101456"
    assert query == {
        "tenantId": [TENANT],
        "groupId": [GROUP],
        "parentMessageId": ["1762186900123"],
    }


def test_a_root_post_is_its_own_parent_and_group_id_is_left_out_when_unknown():
    activity = load("channel_message_rsc", conversation={"conversationType": "channel",
                                                         "id": CHANNEL})  # fmt: skip
    base, query = parts(message_link(activity) or "")
    assert base.endswith("/1762187101456")
    assert query == {"tenantId": [TENANT], "parentMessageId": ["1762187101456"]}


def test_a_group_chat_message_links_with_the_chat_context():
    chat = "19:meeting_Yzk4ZjQ@thread.v2"
    activity = load("channel_message_rsc", conversation={"conversationType": "groupChat",
                                                         "id": chat})  # fmt: skip
    base, query = parts(message_link(activity) or "")
    assert base == f"https://teams.microsoft.com/l/message/{chat}/1762187101456"
    assert query == {"context": ['{"contextType":"chat"}']}


def test_no_link_for_a_1to1_chat_or_without_a_message_id():
    assert message_link(load("personal_message")) is None
    activity = load("channel_message_rsc")
    del activity["id"]
    assert message_link(activity) is None


def test_ids_with_odd_characters_are_escaped_in_the_path():
    link = message_link(load("channel_message_rsc", id="17/62?x#y")) or ""
    assert "/17%2F62%3Fx%23y?" in link


def test_a_watched_line_carries_its_link_to_the_reminder():
    event = translate(load("channel_message_rsc"))
    assert isinstance(event, IncomingMessage)
    assert event.permalink == message_link(load("channel_message_rsc"))
    assert event.permalink is not None and event.permalink.startswith("https://teams.microsoft")
