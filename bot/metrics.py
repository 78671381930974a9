"""What an operator watches, as Prometheus metrics (served at GET /metrics by the runtime).

Counters live in this process; Prometheus sums them over the instances it scrapes.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS = Counter(
    "calma_events",
    "Channel messages that reached the service, new or a redelivery already handled",
    ["platform", "outcome"],
)
NUDGES = Counter("calma_nudges", "Nudges shown to agents, by category", ["category"])
REMINDER_LATENESS = Histogram(
    "calma_reminder_lateness_seconds",
    "Seconds between a reminder's due time and its delivery",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600),
)
CLAIM_CONFLICTS = Counter(
    "calma_reminder_claim_conflicts",
    "Reminders this instance found claimed by another instance when it came to send them",
)
OUTBOX_DEPTH = Gauge("calma_outbox_depth", "Replies waiting in the durable outbox")
