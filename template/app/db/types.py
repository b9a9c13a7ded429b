"""Column types that behave the same on PostgreSQL and SQLite."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DateTime, Dialect, Enum
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (the only kind the models store)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC.

    SQLite has no timezone-aware type and hands back naive values; PostgreSQL hands back the
    session's zone. Both come back as UTC here, and naive values are refused on the way in,
    since their zone would be a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def string_enum(enum_class: type[StrEnum]) -> Enum:
    """A VARCHAR column holding the enum's values; SQLAlchemy refuses unknown values.

    Short strings are portable, and a new value needs no DDL.

    No CHECK constraint: adding a value stays a code change, not a table rebuild on SQLite.
    """
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )
