"""The signed-in user's own account and preferences."""

import re
from datetime import date
from functools import cache
from typing import Annotated
from zoneinfo import available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    PlainSerializer,
)

from app.models import ProfileVisibility, Theme, UserPublicFields, UserSettingsFields
from app.models.user import normalize_email
from app.schemas.fields import Bio, DisplayName

# BCP 47 language tags as browsers send them: `en`, `pt-BR`, `zh-Hant-TW`.
Locale = Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", max_length=35)]


# Read from the system's zone database once, not on every request.
_timezones = cache(available_timezones)


def _known_timezone(name: str) -> str:
    if name not in _timezones():
        raise ValueError("not an IANA time zone name, such as Europe/Paris")
    return name


TimeZone = Annotated[str, Field(max_length=64), AfterValidator(_known_timezone)]


# JSON has no date type: lax parsing would also take 0 or "86400" as a Unix time.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_string(value: object) -> object:
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("must be a date string in the form YYYY-MM-DD")


def _not_in_the_future(day: date) -> date:
    if day > date.today():
        raise ValueError("must not be in the future")
    return day


BirthDate = Annotated[date, BeforeValidator(_iso_date_string), AfterValidator(_not_in_the_future)]
# Validated as an http(s) URL, stored as the string.
AvatarUrl = Annotated[HttpUrl, Field(max_length=2048), PlainSerializer(str, return_type=str)]


class UserPublic(UserPublicFields):
    """The account as its owner sees it."""

    # The fields are UserPublicFields' (app.models.user_public), shared with the read model.

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "0b9f6a8e-3c1d-4f2a-9e7b-5d4c3b2a1f00",
                    "phone_number": "+14155552671",
                    "phone_verified_at": "2025-01-31T12:00:00Z",
                    "username": "ada.lovelace",
                    "email": "ada@example.com",
                    "email_verified_at": None,
                    "display_name": "Ada Lovelace",
                    "bio": None,
                    "avatar_url": None,
                    "date_of_birth": None,
                    "locale": "en-GB",
                    "timezone": "Europe/London",
                    "is_admin": False,
                    "created_at": "2025-01-31T12:00:00Z",
                }
            ]
        },
    )


class UserUpdate(BaseModel):
    """Fields left out stay as they are; `null` clears an optional one.

    A new e-mail address starts unverified.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"display_name": "Ada Lovelace", "locale": "en-GB", "timezone": "Europe/London"}
            ]
        },
    )

    display_name: DisplayName | None = None
    bio: Bio | None = None
    avatar_url: AvatarUrl | None = None
    date_of_birth: BirthDate | None = None
    locale: Locale | None = None
    timezone: TimeZone | None = None
    # Lower-cased as the column stores it: addresses are matched case-insensitively.
    email: Annotated[EmailStr, AfterValidator(normalize_email)] | None = None


class UserSettingsPublic(UserSettingsFields):
    """The user's preferences and privacy options."""

    # The fields are UserSettingsFields' (app.models.user_settings_public), shared with the
    # read model.

    model_config = ConfigDict(from_attributes=True)


class UserSettingsUpdate(BaseModel):
    """Fields left out (or `null`) stay as they are; none of them can be cleared."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"notify_sms": False, "theme": "dark"}]},
    )

    notify_sms: bool | None = None
    notify_email: bool | None = None
    notify_push: bool | None = None
    profile_visibility: ProfileVisibility | None = None
    show_phone: bool | None = None
    show_email: bool | None = None
    discoverable_by_phone: bool | None = None
    language: Locale | None = None
    theme: Theme | None = None
