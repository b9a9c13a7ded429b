import pytest
from sqlalchemy.exc import IntegrityError

from app.services.auth import unique_violation_field


@pytest.mark.parametrize(
    ("message", "field"),
    [
        (
            'duplicate key value violates unique constraint "uq_users_username_normalized_live"',
            "username",
        ),
        ('duplicate key value violates unique constraint "uq_users_email_live"', "email"),
        ("UNIQUE constraint failed: users.phone_number", "phone_number"),
        ("UNIQUE constraint failed: users.email", "email"),
    ],
)
def test_unique_violation_field_names_the_colliding_value(message: str, field: str) -> None:
    error = IntegrityError("INSERT INTO users ...", {}, Exception(message))

    assert unique_violation_field(error) == field
