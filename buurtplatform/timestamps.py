"""Times are stored in UTC; they are shown in Europe/Amsterdam by Babel."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
