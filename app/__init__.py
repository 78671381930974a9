"""The composition root: the `calma` CLI, the runtime that wires doors, store, clock and timers."""
