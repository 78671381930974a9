"""What an operator sees of a running instance: Prometheus metrics at /metrics and, with
`--log-format json`, one JSON object a log line."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import message_event
from tests.adapters.slack.instances import Instance

LINE = "Usted debería haber leído el correo que le enviamos"


def metric(text: str, name: str) -> float | None:
    """The value of the sample line that starts with `name` (labels included), or None."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_count_events_and_nudges_and_logs_are_json(tmp_path: Path) -> None:
    with FakeSlack() as fake_slack:
        run(fake_slack, tmp_path)


def run(fake_slack: FakeSlack, tmp_path: Path) -> None:
    calma = Instance(
        fake_slack, str(tmp_path / "calma.db"), tmp_path, options=("--log-format", "json")
    )
    try:
        envelope = message_event(LINE)
        assert calma.post(envelope)[0] == 200
        assert calma.post(envelope, retry=1)[0] == 200
        fake_slack.wait_for("chat.postEphemeral", timeout=10)
        time.sleep(0.3)
        status, health = calma.get("/healthz")
        assert status == 200 and json.loads(health)["ok"] is True
        status, text = calma.get("/metrics")
        assert status == 200
        assert metric(text, 'calma_events_total{outcome="new",platform="slack"}') == 1.0
        assert metric(text, 'calma_nudges_total{category="judgement"}') == 1.0
        assert metric(text, "calma_outbox_depth") == 0.0
        assert metric(text, "calma_reminder_claim_conflicts_total") == 0.0
        assert "calma_reminder_lateness_seconds_bucket" in text
    finally:
        assert calma.stop() == 0
    logged = [line for line in calma.lines if not line.startswith("calma:")]
    assert logged, calma.output()
    records = [json.loads(line) for line in logged]
    assert {"ts", "level", "logger", "message"} <= set(records[0])
    assert any("listening" in record["message"] for record in records)
