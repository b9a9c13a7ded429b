"""The signed-in caller's account: the read model of every read endpoint and access check.

Every authenticated request loads it, so it is one primary-key SELECT into a frozen model:
no session, identity map or ORM loading. Its public part is `UserPublicFields`, the one list
the response schema shares; the rest is what the access checks need. `AccountReader` hides
where the row comes from: SQLAlchemy Core here, the driver itself on PostgreSQL
(`app.crud.accounts_asyncpg`).
"""

import uuid
from datetime import datetime
from typing import Protocol

from pydantic import ConfigDict
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.models import User, UserPublicFields


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


class AccountReader(Protocol):
    async def read(self, user_id: uuid.UUID) -> Account | None:
        """The live (not soft-deleted) account with this id, or None."""
        ...


class CoreAccountReader:
    """Through SQLAlchemy Core: on a pooled connection of the engine, or on the one
    connection given (a test's transaction)."""

    def __init__(self, bind: AsyncEngine | AsyncConnection) -> None:
        self._bind = bind

    async def read(self, user_id: uuid.UUID) -> Account | None:
        if isinstance(self._bind, AsyncConnection):
            return await self._read(self._bind, user_id)
        async with self._bind.connect() as connection:
            return await self._read(connection, user_id)

    @staticmethod
    async def _read(connection: AsyncConnection, user_id: uuid.UUID) -> Account | None:
        row = (await connection.execute(ACCOUNT_BY_ID, {"user_id": user_id})).mappings().first()
        return None if row is None else Account(**row)
