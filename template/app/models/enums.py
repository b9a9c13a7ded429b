"""Closed sets of values stored as short strings (portable, and new values need no DDL)."""

from enum import StrEnum

from sqlalchemy import Enum


class ProfileVisibility(StrEnum):
    PUBLIC = "public"
    CONTACTS = "contacts"
    PRIVATE = "private"


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


class VerificationPurpose(StrEnum):
    REGISTRATION = "registration"
    LOGIN = "login"
    PHONE_CHANGE = "phone_change"
    EMAIL = "email"


class VerificationChannel(StrEnum):
    SMS = "sms"
    CALL = "call"
    EMAIL = "email"


class RevocationReason(StrEnum):
    LOGOUT = "logout"
    LOGOUT_ALL = "logout_all"
    ROTATED = "rotated"
    REUSE_DETECTED = "reuse_detected"
    ACCOUNT_DELETED = "account_deleted"


def string_enum(enum_class: type[StrEnum]) -> Enum:
    """A VARCHAR column holding the enum's values; SQLAlchemy refuses unknown values.

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
