"""`Account` is the row `GET /users/me` answers from: it must carry every public field."""

from app.crud.accounts import ACCOUNT_BY_ID, Account
from app.schemas.users import UserPublic


def test_the_account_carries_every_field_of_the_public_user() -> None:
    # A field added to UserPublic alone would fail every /users/me answer's validation.
    assert set(UserPublic.model_fields) <= set(Account.__dataclass_fields__)


def test_the_statement_selects_exactly_the_account_fields() -> None:
    assert list(ACCOUNT_BY_ID.selected_columns.keys()) == list(Account.__dataclass_fields__)
