"""Column types that several features' models share."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa


def enum_type(enum_class: type[enum.StrEnum], length: int = 20) -> sa.Enum:
    """A string enum stored as its values in a VARCHAR (no database enum type to migrate)."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class UTCDateTime(sa.TypeDecorator):
    """A moment in time, stored in UTC and always read back timezone-aware (SQLite keeps no
    zone), so that Python can compare it with `utcnow()` on every database."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use buurtplatform.timestamps.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
