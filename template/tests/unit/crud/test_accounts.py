"""`Account` and `AccountSettings` are the rows read endpoints answer from: they must carry
every public field."""

from app.crud.accounts import ACCOUNT_BY_ID, SETTINGS_BY_USER_ID, Account, AccountSettings
from app.models import UserPublicFields, UserSettingsFields
from app.schemas.users import UserPublic, UserSettingsPublic


def test_the_account_and_the_public_user_share_one_list_of_fields() -> None:
    assert issubclass(Account, UserPublicFields)
    assert issubclass(UserPublic, UserPublicFields)
    assert list(UserPublic.model_fields) == list(UserPublicFields.model_fields)


def test_the_statement_selects_exactly_the_account_fields() -> None:
    assert list(ACCOUNT_BY_ID.selected_columns.keys()) == list(Account.model_fields)


def test_the_settings_and_their_answer_share_one_list_of_fields() -> None:
    assert issubclass(AccountSettings, UserSettingsFields)
    assert issubclass(UserSettingsPublic, UserSettingsFields)
    assert list(UserSettingsPublic.model_fields) == list(UserSettingsFields.model_fields)
    assert list(AccountSettings.model_fields) == list(UserSettingsFields.model_fields)


def test_the_settings_statement_selects_exactly_their_fields() -> None:
    assert list(SETTINGS_BY_USER_ID.selected_columns.keys()) == list(AccountSettings.model_fields)
