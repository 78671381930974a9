"""The Slack door: Slack payloads into the neutral model, replies back out as Block Kit."""
