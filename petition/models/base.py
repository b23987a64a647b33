"""Shared column helpers."""

from datetime import UTC, datetime


def utcnow():
    """Naive UTC now: every timestamp in the database is naive UTC, on every backend."""
    return datetime.now(UTC).replace(tzinfo=None)
