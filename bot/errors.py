"""Storage errors with messages an admin can act on; the service and doors catch `StoreError`."""

from __future__ import annotations


class StoreError(Exception):
    """The database could not do what was asked; the message says why in plain words."""


class StoreLocked(StoreError):
    """Another connection held the write lock for longer than the busy timeout."""


class StoreReadOnly(StoreError):
    """The database file (or its folder) cannot be written."""
