"""Chicago local time for people, naive UTC in the database."""

from datetime import UTC
from zoneinfo import ZoneInfo

CITY_TZ = ZoneInfo("America/Chicago")


def to_utc(local_naive):
    """A naive Chicago wall-clock time (as typed into a form) to naive UTC."""
    if local_naive is None:
        return None
    return local_naive.replace(tzinfo=CITY_TZ).astimezone(UTC).replace(tzinfo=None)


def to_local(utc_naive):
    """Naive UTC (from the database) to a naive Chicago wall-clock time."""
    if utc_naive is None:
        return None
    return utc_naive.replace(tzinfo=UTC).astimezone(CITY_TZ).replace(tzinfo=None)
