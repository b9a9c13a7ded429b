import uuid
from datetime import UTC, datetime

import pytest

from app.core.errors import ValidationFailedError
from app.crud.pagination import decode_cursor, encode_cursor


def test_cursors_round_trip() -> None:
    created_at = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    row_id = uuid.uuid4()

    assert decode_cursor(encode_cursor(created_at, row_id)) == (created_at, row_id)


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64!",
        encode_cursor(datetime(2025, 1, 1, tzinfo=UTC), uuid.uuid4())[:-4],
        "MjAyNS0wMS0wMVQwMDowMDowMHxub3QtYS11dWlk",  # "2025-01-01T00:00:00|not-a-uuid"
        "MjAyNS0wMS0wMVQwMDowMDowMHwwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA",  # naive
    ],
)
def test_malformed_cursors_are_a_validation_error(cursor: str) -> None:
    with pytest.raises(ValidationFailedError) as raised:
        decode_cursor(cursor)

    assert raised.value.extensions == {"field": "cursor"}
