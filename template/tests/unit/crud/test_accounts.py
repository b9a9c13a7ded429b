"""`Account` is the row every read endpoint answers from: it must carry every public field."""

from app.crud.accounts import ACCOUNT_BY_ID, Account
from app.models import UserPublicFields
from app.schemas.users import UserPublic


def test_the_account_and_the_public_user_share_one_list_of_fields() -> None:
    assert issubclass(Account, UserPublicFields)
    assert issubclass(UserPublic, UserPublicFields)
    assert list(UserPublic.model_fields) == list(UserPublicFields.model_fields)


def test_the_statement_selects_exactly_the_account_fields() -> None:
    assert list(ACCOUNT_BY_ID.selected_columns.keys()) == list(Account.model_fields)
