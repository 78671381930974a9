"""A chart to a person's DM with Coach: files.getUploadURLExternal → POST the bytes →
files.completeUploadExternal (files.upload is retired). Never into a channel: only DM ids."""

from __future__ import annotations

import logging

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from bot.digest_chart import png
from bot.model import Chart

log = logging.getLogger(__name__)

FILENAME = "calma-resumen.png"


class NotADirectMessage(ValueError):
    """A chart was about to go somewhere other than a person's DM with Coach."""


async def upload_chart(client: AsyncWebClient, dm_channel: str, chart: Chart) -> str | None:
    """Upload the chart as a PNG into the DM; the file id, or None when no PNG can be drawn."""
    if not dm_channel.startswith("D"):
        raise NotADirectMessage(dm_channel)
    data = png(chart)
    if data is None:
        log.info("slack: matplotlib is not installed; the digest goes without its chart")
        return None
    ticket = await client.files_getUploadURLExternal(
        filename=FILENAME, length=len(data), alt_txt=chart.alt[:1000] or chart.title
    )
    upload_url, file_id = str(ticket["upload_url"]), str(ticket["file_id"])
    await _post_bytes(client, upload_url, data)
    await client.files_completeUploadExternal(
        files=[{"id": file_id, "title": chart.title}], channel_id=dm_channel
    )
    return file_id


async def _post_bytes(client: AsyncWebClient, url: str, data: bytes) -> None:
    """POST the file's bytes to the upload URL Slack handed out; raise on a refusal."""
    headers = {"Content-Type": "application/octet-stream"}
    session = client.session
    if session is not None and not session.closed:
        async with session.post(url, data=data, headers=headers) as answer:
            answer.raise_for_status()
        return
    async with aiohttp.ClientSession() as own, own.post(url, data=data, headers=headers) as answer:
        answer.raise_for_status()
