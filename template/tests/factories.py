"""Test data factories: valid objects with unique values, not yet added to a session.

Only required columns without a default are generated; everything else keeps the model's
default, so a test sets exactly the values it is about: `UserFactory.build(email=...)`.
Foreign keys are never invented: pass `user=` (or `user_id=`).
"""

import itertools
import secrets
import uuid
from datetime import timedelta
from typing import Any

from polyfactory import Ignore, Use
from polyfactory.factories.sqlalchemy_factory import SQLAlchemyFactory

from app.db.types import utcnow
from app.models import (
    RefreshToken,
    User,
    UserSettings,
    VerificationChannel,
    VerificationPurpose,
    VerificationRecord,
)

_sequence = itertools.count(1)


def unique_phone() -> str:
    return f"+1555{next(_sequence):07d}"


def unique_username() -> str:
    return f"user{next(_sequence)}"


class ModelFactory[T](SQLAlchemyFactory[T]):
    __is_base_factory__ = True
    __set_primary_key__ = False
    __set_foreign_keys__ = False
    __set_relationships__ = False

    @classmethod
    def should_column_be_set(cls, column: Any) -> bool:
        return (
            super().should_column_be_set(column)
            and not column.nullable
            and column.default is None
            and column.server_default is None
        )


class UserFactory(ModelFactory[User]):
    __model__ = User

    phone_number = Use(unique_phone)
    username = Use(unique_username)
    username_normalized = Ignore()  # derived from username by the model


class UserSettingsFactory(ModelFactory[UserSettings]):
    __model__ = UserSettings


class VerificationRecordFactory(ModelFactory[VerificationRecord]):
    __model__ = VerificationRecord

    purpose = VerificationPurpose.REGISTRATION
    channel = VerificationChannel.SMS
    target = Use(unique_phone)
    provider = "console"
    expires_at = Use(lambda: utcnow() + timedelta(minutes=10))


class RefreshTokenFactory(ModelFactory[RefreshToken]):
    __model__ = RefreshToken

    token_hash = Use(lambda: secrets.token_hex(32))
    family_id = Use(uuid.uuid4)
    expires_at = Use(lambda: utcnow() + timedelta(days=7))
