"""The privacy rule as a check over everything the stand-in received: nothing about an agent's
wording is ever public. Nudges go by chat.postEphemeral; no reaction, no channel post or thread
reply, no channel edit repeats what an agent wrote or carries a nudge's buttons."""

from __future__ import annotations

import json

from tests.adapters.slack.fake_slack import Call, FakeSlack

NEVER = ("reactions.", "chat.meMessage", "chat.scheduleMessage", "files.", "pins.", "stars.")
# A digest's chart is uploaded into the lead's own DM with Coach, and only there.
UPLOADS = ("files.getUploadURLExternal", "files.completeUploadExternal")
PUBLIC = ("chat.postMessage", "chat.update")
WINDOW = 20  # characters of an agent's line that may not reappear in public


def _is_dm(channel: object) -> bool:
    return isinstance(channel, str) and channel.startswith("D")


def agent_texts(fake: FakeSlack) -> list[str]:
    """Every line sent in as a message event, over HTTP (the harness) or Socket Mode."""
    texts = list(fake.agent_texts)
    for envelope in fake.socket.pushed:
        event = (envelope.get("payload") or {}).get("event") or {}
        for message in (event, event.get("message") or {}):
            if isinstance(message.get("text"), str):
                texts.append(message["text"])
    return texts


def public_leaks(fake: FakeSlack) -> list[str]:
    """What broke the rule, one line per offending call; empty when all was private."""
    windows = {
        text[i : i + WINDOW]
        for text in agent_texts(fake)
        for i in range(max(len(text) - WINDOW + 1, 0))
        if text[i : i + WINDOW].strip()
    }
    leaks: list[str] = []
    for call in fake.calls:
        if call.method in UPLOADS:
            leaks += _upload_leak(call)
        elif call.method.startswith(NEVER):
            leaks.append(f"{call.method} was called")
        elif call.method in PUBLIC and not _is_dm(call.params.get("channel")):
            leaks += _public_leak(call, windows)
    return leaks


def _public_leak(call: Call, windows: set[str]) -> list[str]:
    body = json.dumps(call.params, ensure_ascii=False)
    where = f"{call.method} in {call.params.get('channel')}"
    if '"nudge.' in body:
        return [f"{where} carries a nudge's buttons"]
    if any(window in body for window in windows):
        return [f"{where} repeats an agent's wording"]
    return []


def _upload_leak(call: Call) -> list[str]:
    """A file may only be shared into a DM (channel_id D…), never to `channels`."""
    if call.method != "files.completeUploadExternal":
        return []
    if call.params.get("channels") or not _is_dm(call.params.get("channel_id")):
        return [f"{call.method} shared a file outside a DM: {call.params.get('channel_id')}"]
    return []
