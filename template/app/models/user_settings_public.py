"""The user's preferences as their owner reads them, written once.

The settings read model (`app.crud.accounts.AccountSettings`) and the response schema
(`app.schemas.users.UserSettingsPublic`) both extend this list, and the read model's SELECT
is built from its fields, as `UserPublicFields` is for the account.
"""

from pydantic import BaseModel

from app.core.enums import ProfileVisibility, Theme


class UserSettingsFields(BaseModel):
    notify_sms: bool
    notify_email: bool
    notify_push: bool
    profile_visibility: ProfileVisibility
    show_phone: bool
    show_email: bool
    discoverable_by_phone: bool
    language: str
    theme: Theme
