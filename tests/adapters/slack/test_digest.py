"""The lead's digest through the Slack door: text in the DM, the chart uploaded into that DM with
files.getUploadURLExternal → bytes → files.completeUploadExternal, nothing in the channel."""

from __future__ import annotations

import io
import struct

from tests.adapters.procs import until
from tests.adapters.slack.harness import AGENT, CHANNEL, LEAD, SlackApp, message_event

JUDGEMENTAL = "Usted debería haber leído el correo que le mandamos"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == PNG_MAGIC
    return struct.unpack(">II", data[16:24])


def not_blank(data: bytes) -> bool:
    """More than one colour in the picture (read back with matplotlib's own PNG reader)."""
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(data), format="png")
    return bool((pixels.reshape(-1, pixels.shape[-1]) != pixels[0, 0]).any())


async def test_a_leads_digest_uploads_a_png_into_the_leads_dm_only(slack_app: SlackApp) -> None:
    fake = slack_app.fake
    fake.add_user(LEAD, is_admin=True)
    await slack_app.event(message_event(JUDGEMENTAL))
    await fake.calls_eventually("chat.postEphemeral")

    await slack_app.command("resumen", user=LEAD)

    (ticket,) = await fake.calls_eventually("files.getUploadURLExternal")
    (complete,) = await fake.calls_eventually("files.completeUploadExternal")
    (upload,) = fake.calls_to("upload")
    (opened,) = fake.calls_to("conversations.open")
    assert opened.params["users"] == LEAD
    dm = f"D{LEAD[1:]}"
    assert complete.params["channel_id"] == dm
    assert "channels" not in complete.params
    file_id = complete.params["files"][0]["id"]
    data = fake.uploads[file_id]
    assert int(ticket.params["length"]) == len(data) == upload.params["length"]
    width, height = png_size(data)
    assert width >= 300 and height >= 150
    assert not_blank(data)

    (digest,) = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == dm]
    assert "Resumen del equipo" in digest.params["text"]
    assert all(c.params.get("channel") != CHANNEL for c in fake.calls_to("chat.postMessage"))
    await until(
        lambda: any("chat con Coach" in str(c.params) for c in fake.calls_to("response_url"))
    )
    (note,) = [c for c in fake.calls_to("response_url") if "chat con Coach" in str(c.params)]
    assert note.params["response_type"] == "ephemeral"


async def test_an_agent_cannot_ask_for_the_digest(slack_app: SlackApp) -> None:
    await slack_app.command("digest", user=AGENT)
    (refused,) = await slack_app.fake.calls_eventually("response_url")
    assert "para líderes" in str(refused.params)
    assert slack_app.fake.calls_to("files.getUploadURLExternal") == []


async def test_the_weekly_digest_goes_to_the_leads_dm_with_its_chart(fake_slack, tmp_path) -> None:
    from datetime import UTC, datetime

    from tests.adapters.slack.harness import start_app
    from tests.fakes import FakeClock

    clock = FakeClock(datetime(2026, 11, 8, 12, 0, tzinfo=UTC))  # a Sunday
    app = await start_app(fake_slack, tmp_path / "calma.db", clock=clock)
    try:
        app.runtime.store.ensure_workspace("slack", "T0CALMA")
        app.runtime.store.set_role("slack", "T0CALMA", LEAD, "lead")
        app.runtime.store.set_user_settings("slack", "T0CALMA", LEAD, tz="America/Bogota")
        await app.event(message_event(JUDGEMENTAL))
        await fake_slack.calls_eventually("chat.postEphemeral")
        assert await app.runtime.send_due_digests() == 0  # scheduled for Monday 09:00 Bogotá
        clock.set(datetime(2026, 11, 9, 14, 0, tzinfo=UTC))
        assert await app.runtime.send_due_digests() == 1
        (complete,) = fake_slack.calls_to("files.completeUploadExternal")
        assert complete.params["channel_id"] == f"D{LEAD[1:]}"
        assert await app.runtime.send_due_digests() == 0
    finally:
        await app.close()
