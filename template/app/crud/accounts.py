"""The signed-in caller's account and settings: the read model of every read endpoint and
access check.

Every authenticated request loads the account, so each read is one indexed SELECT into a
frozen model: no session, identity map or ORM loading. The account's public part is
`UserPublicFields` and the settings' `UserSettingsFields`, the lists the response schemas
share; the rest is what the access checks need. `AccountReader` hides where the rows come
from: SQLAlchemy Core here, the driver itself on PostgreSQL (`app.crud.accounts_asyncpg`).
"""

import uuid
from datetime import datetime
from typing import Any, Protocol

from pydantic import ConfigDict
from sqlalchemy import RowMapping, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.models import User, UserPublicFields, UserSettings, UserSettingsFields


class Account(UserPublicFields):
    """A live user's row as the signed-in owner sees it, plus what access checks need.

    Read-only: a handler that changes the user takes the ORM `User` (`CurrentUser`).
    """

    model_config = ConfigDict(frozen=True)

    is_active: bool
    tokens_valid_after: datetime | None


# Built once; SQLAlchemy caches its compiled form, so each call only binds the id.
ACCOUNT_BY_ID = select(*(User.__table__.c[name] for name in Account.model_fields)).where(
    User.id == bindparam("user_id"), User.deleted_at.is_(None)
)


class AccountSettings(UserSettingsFields):
    """A user's preferences as they read them. Read-only: a change goes through the ORM."""

    model_config = ConfigDict(frozen=True)


SETTINGS_BY_USER_ID = select(
    *(UserSettings.__table__.c[name] for name in AccountSettings.model_fields)
).where(UserSettings.user_id == bindparam("user_id"))


class AccountReader(Protocol):
    async def read(self, user_id: uuid.UUID) -> Account | None:
        """The live (not soft-deleted) account with this id, or None."""
        ...

    async def settings(self, user_id: uuid.UUID) -> AccountSettings | None:
        """The settings of the account with this id (the caller checked it is live), or None."""
        ...


class CoreAccountReader:
    """Through SQLAlchemy Core: on a pooled connection of the engine, or on the one
    connection given (a test's transaction)."""

    def __init__(self, bind: AsyncEngine | AsyncConnection) -> None:
        self._bind = bind

    async def read(self, user_id: uuid.UUID) -> Account | None:
        row = await self._first_row(ACCOUNT_BY_ID, user_id)
        return None if row is None else Account(**row)

    async def settings(self, user_id: uuid.UUID) -> AccountSettings | None:
        row = await self._first_row(SETTINGS_BY_USER_ID, user_id)
        return None if row is None else AccountSettings(**row)

    async def _first_row(self, statement: Select[Any], user_id: uuid.UUID) -> RowMapping | None:
        if isinstance(self._bind, AsyncConnection):
            return await _first_row(self._bind, statement, user_id)
        async with self._bind.connect() as connection:
            return await _first_row(connection, statement, user_id)


async def _first_row(
    connection: AsyncConnection, statement: Select[Any], user_id: uuid.UUID
) -> RowMapping | None:
    result = await connection.execute(statement, {"user_id": user_id})
    row: RowMapping | None = result.mappings().first()
    return row
