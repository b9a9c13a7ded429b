"""The signed-in caller's account, read without an ORM session for the authenticated read path.

Every authenticated GET loads it, so it is one primary-key SELECT into a frozen dataclass:
no session, identity map or ORM loading. `AccountReader` hides where the row comes from:
SQLAlchemy Core here, the driver itself on PostgreSQL (`app.crud.accounts_asyncpg`).
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.models import User


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """A live user's row as the signed-in owner sees it, plus what access checks need."""

    id: uuid.UUID
    phone_number: str
    phone_verified_at: datetime | None
    username: str
    email: str | None
    email_verified_at: datetime | None
    display_name: str | None
    bio: str | None
    avatar_url: str | None
    date_of_birth: date | None
    locale: str | None
    timezone: str | None
    is_admin: bool
    is_active: bool
    tokens_valid_after: datetime | None
    created_at: datetime


# Built once; SQLAlchemy caches its compiled form, so each call only binds the id.
ACCOUNT_BY_ID = select(*(User.__table__.c[name] for name in Account.__dataclass_fields__)).where(
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
