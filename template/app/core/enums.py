"""Closed sets of values the layers share; the models store them as short strings
(`app.db.types.string_enum`)."""

from enum import StrEnum


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
