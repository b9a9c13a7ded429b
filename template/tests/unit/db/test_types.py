from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import sqlite

from app.db.types import UTCDateTime, utcnow

PARIS_SUMMER = timezone(timedelta(hours=2))


def test_utcnow_is_timezone_aware_utc() -> None:
    assert utcnow().tzinfo is UTC


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        UTCDateTime().process_bind_param(datetime(2025, 1, 1), sqlite.dialect())


def test_values_are_stored_in_utc() -> None:
    local = datetime(2025, 6, 1, 14, 0, tzinfo=PARIS_SUMMER)

    stored = UTCDateTime().process_bind_param(local, sqlite.dialect())

    assert stored == local
    assert stored is not None
    assert stored.tzinfo is UTC
    assert stored.hour == 12


@pytest.mark.parametrize(
    "loaded",
    [datetime(2025, 6, 1, 12, 0), datetime(2025, 6, 1, 14, 0, tzinfo=PARIS_SUMMER)],
    ids=["naive-from-sqlite", "aware-in-another-zone"],
)
def test_loaded_values_come_back_in_utc(loaded: datetime) -> None:
    value = UTCDateTime().process_result_value(loaded, sqlite.dialect())

    assert value == datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    assert value is not None
    assert value.tzinfo is UTC


def test_none_passes_through() -> None:
    assert UTCDateTime().process_bind_param(None, sqlite.dialect()) is None
    assert UTCDateTime().process_result_value(None, sqlite.dialect()) is None
