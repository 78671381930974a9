"""The lean Web API calls (chat.postEphemeral, users.info): what Slack receives, its refusals as
WebApiError, and the generic client's retries (429 after Retry-After, a 500 or 503 once)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from adapters.slack.errors import reason
from adapters.slack.webapi import WebApi, WebApiError
from tests.adapters.slack.fake_slack import FakeSlack

TOKEN = "xoxb-lean"


@pytest.fixture
async def webapi(fake_slack: FakeSlack) -> AsyncIterator[WebApi]:
    api = WebApi(fake_slack.base_url)
    yield api
    api.close()


async def test_an_ephemeral_goes_as_json_with_the_bots_token(
    webapi: WebApi, fake_slack: FakeSlack
) -> None:
    body = json.dumps({"channel": "C1", "user": "U1", "text": "Un consejo"})
    answer = await webapi.post_json(TOKEN, "chat.postEphemeral", body)
    assert answer["ok"] is True
    (call,) = fake_slack.calls_to("chat.postEphemeral")
    assert call.token == TOKEN
    assert call.params == {"channel": "C1", "user": "U1", "text": "Un consejo"}
    assert call.headers["Content-Type"].startswith("application/json")


async def test_users_info_reads_the_person(webapi: WebApi, fake_slack: FakeSlack) -> None:
    fake_slack.add_user("U1", tz="America/Lima", locale="es-PE")
    answer = await webapi.get(TOKEN, "users.info", {"user": "U1", "include_locale": "true"})
    assert answer["user"]["tz"] == "America/Lima"
    assert fake_slack.calls_to("users.info")[0].params["user"] == "U1"


async def test_a_refusal_is_an_error_with_slacks_words_and_status(
    webapi: WebApi, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postEphemeral", "channel_not_found")
    with pytest.raises(WebApiError) as caught:
        await webapi.post_json(TOKEN, "chat.postEphemeral", '{"channel": "C1", "user": "U1"}')
    assert (caught.value.error, caught.value.status) == ("channel_not_found", 200)
    assert reason(caught.value) == "channel_not_found (HTTP 200)"


async def test_a_rate_limit_is_waited_out_and_tried_again(
    webapi: WebApi, fake_slack: FakeSlack
) -> None:
    fake_slack.rate_limit("chat.postEphemeral", retry_after=0, times=2)
    body = '{"channel": "C1", "user": "U1", "text": "x"}'
    assert (await webapi.post_json(TOKEN, "chat.postEphemeral", body))["ok"] is True
    assert len(fake_slack.calls_to("chat.postEphemeral")) == 3


async def test_a_rate_limit_that_lasts_is_raised_after_three_retries(
    webapi: WebApi, fake_slack: FakeSlack
) -> None:
    fake_slack.rate_limit("chat.postEphemeral", retry_after=0, times=10)
    with pytest.raises(WebApiError) as caught:
        await webapi.post_json(TOKEN, "chat.postEphemeral", '{"channel": "C1", "user": "U1"}')
    assert caught.value.status == 429
    assert len(fake_slack.calls_to("chat.postEphemeral")) == 4


async def test_a_server_error_is_tried_once_more(webapi: WebApi, fake_slack: FakeSlack) -> None:
    fake_slack.fail("chat.postEphemeral", "internal_error", status=503, times=2)
    with pytest.raises(WebApiError) as caught:
        await webapi.post_json(TOKEN, "chat.postEphemeral", '{"channel": "C1", "user": "U1"}')
    assert caught.value.status == 503
    assert len(fake_slack.calls_to("chat.postEphemeral")) == 2
