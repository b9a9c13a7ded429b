"""The signed-in caller's account and settings: the read model of every read endpoint and
access check, and the caller's changes to their own profile and preferences.

Every authenticated request loads the account, so each read is one indexed SELECT into a
frozen model, and each change one UPDATE that also checks the caller may still act (the
checks `app.api.auth` makes on a read): no session, identity map or ORM flush. A refresh,
every client's most frequent write, rotates the session's token here too. The account's
public part is `UserPublicFields` and the settings' `UserSettingsFields`, the lists the
response schemas share; the rest is what the access checks need. `AccountStore` hides where
the rows come from: SQLAlchemy Core here, the driver itself on PostgreSQL
(`app.crud.accounts_asyncpg`).
"""

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import datetime
from functools import cache, partial
from typing import Any, Protocol

from pydantic import ConfigDict
from sqlalchemy import (
    ColumnElement,
    Executable,
    RowMapping,
    Update,
    and_,
    bindparam,
    case,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.crud.refresh_tokens import NewRefreshToken, Rotation, rotate_presented_token
from app.db.types import utcnow
from app.models import User, UserPublicFields, UserSettings, UserSettingsFields


class Account(UserPublicFields):
    """A live user's row as the signed-in owner sees it, plus what access checks need.

    Frozen: the caller's own changes go through `AccountStore`, other changes through the ORM
    `User` (`CurrentUser`).
    """

    model_config = ConfigDict(frozen=True)

    is_active: bool
    tokens_valid_after: datetime | None


# Built once; SQLAlchemy caches its compiled form, so each call only binds the id.
_ACCOUNT_COLUMNS = [User.__table__.c[name] for name in Account.model_fields]
ACCOUNT_BY_ID = select(*_ACCOUNT_COLUMNS).where(
    User.id == bindparam("user_id"), User.deleted_at.is_(None)
)


class AccountSettings(UserSettingsFields):
    """A user's preferences as they read them."""

    model_config = ConfigDict(frozen=True)


_SETTINGS_COLUMNS = [UserSettings.__table__.c[name] for name in AccountSettings.model_fields]
SETTINGS_BY_USER_ID = select(*_SETTINGS_COLUMNS).where(UserSettings.user_id == bindparam("user_id"))


def _caller_may_act() -> ColumnElement[bool]:
    """The row of `caller_id` if an access token issued at `issued_at` may still act as it:
    live, active, and no logout-all since the token was issued (as `app.api.auth` checks a
    read)."""
    return and_(
        User.id == bindparam("caller_id"),
        User.deleted_at.is_(None),
        User.is_active.is_(True),
        or_(User.tokens_valid_after.is_(None), User.tokens_valid_after <= bindparam("issued_at")),
    )


# Cached per set of changed fields: the schemas forbid other keys, so the sets are bounded.
@cache
def profile_update(fields: frozenset[str]) -> Update:
    """The caller's profile change: each of `fields` set from the parameter of its name,
    `updated_at` from `changed_at`. A changed e-mail address starts unverified (an unverified one
    is nobody's), so the statement never fails on another account's address."""
    values: dict[str, Any] = {name: bindparam(name) for name in sorted(fields)}
    if "email" in fields:
        values["email_verified_at"] = case(
            (User.email.is_distinct_from(bindparam("email")), None),
            else_=User.email_verified_at,
        )
    return (
        update(User)
        .where(_caller_may_act())
        .values(**values, updated_at=bindparam("changed_at"))
        .returning(*_ACCOUNT_COLUMNS)
    )


@cache
def settings_update(fields: frozenset[str]) -> Update:
    """The caller's change of preferences, on the same conditions as `profile_update`."""
    values: dict[str, Any] = {name: bindparam(name) for name in sorted(fields)}
    return (
        update(UserSettings)
        .where(UserSettings.user_id == User.id, _caller_may_act())
        .values(**values, updated_at=bindparam("changed_at"))
        .returning(*_SETTINGS_COLUMNS)
    )


def change_parameters(
    user_id: uuid.UUID, issued_at: datetime, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """What `profile_update` and `settings_update` bind, besides the changed values."""
    return {**changes, "caller_id": user_id, "issued_at": issued_at, "changed_at": utcnow()}


class AccountStore(Protocol):
    async def read(self, user_id: uuid.UUID) -> Account | None:
        """The live (not soft-deleted) account with this id, or None."""
        ...

    async def settings(self, user_id: uuid.UUID) -> AccountSettings | None:
        """The settings of the account with this id (the caller checked it is live), or None."""
        ...

    async def update_profile(
        self, user_id: uuid.UUID, issued_at: datetime, changes: Mapping[str, Any]
    ) -> Account | None:
        """Apply `changes` to the caller's account and return it, or None if a token issued at
        `issued_at` may no longer act as it (deleted, deactivated, signed out everywhere)."""
        ...

    async def update_settings(
        self, user_id: uuid.UUID, issued_at: datetime, changes: Mapping[str, Any]
    ) -> AccountSettings | None:
        """Apply `changes` to the caller's settings, on the conditions of `update_profile`."""
        ...

    async def rotate_refresh_token(
        self, token_hash: str, successor: NewRefreshToken, at: datetime
    ) -> Rotation:
        """Replace the live refresh token with this hash by `successor`, if it may still be
        used (`rotate_presented_token`)."""
        ...


class CoreAccountStore:
    """Through SQLAlchemy Core: on a pooled connection of the engine, or on the one
    connection given (a test's transaction)."""

    def __init__(self, bind: AsyncEngine | AsyncConnection) -> None:
        self._bind = bind

    async def read(self, user_id: uuid.UUID) -> Account | None:
        row = await self._first_row(ACCOUNT_BY_ID, {"user_id": user_id})
        return None if row is None else Account(**row)

    async def settings(self, user_id: uuid.UUID) -> AccountSettings | None:
        row = await self._first_row(SETTINGS_BY_USER_ID, {"user_id": user_id})
        return None if row is None else AccountSettings(**row)

    async def update_profile(
        self, user_id: uuid.UUID, issued_at: datetime, changes: Mapping[str, Any]
    ) -> Account | None:
        row = await self._first_row(
            profile_update(frozenset(changes)), change_parameters(user_id, issued_at, changes)
        )
        return None if row is None else Account(**row)

    async def update_settings(
        self, user_id: uuid.UUID, issued_at: datetime, changes: Mapping[str, Any]
    ) -> AccountSettings | None:
        row = await self._first_row(
            settings_update(frozenset(changes)), change_parameters(user_id, issued_at, changes)
        )
        return None if row is None else AccountSettings(**row)

    async def rotate_refresh_token(
        self, token_hash: str, successor: NewRefreshToken, at: datetime
    ) -> Rotation:
        async with self._connected() as connection:
            fetch = partial(_first_row, connection)
            return await rotate_presented_token(fetch, token_hash, successor, at)

    async def _first_row(
        self, statement: Executable, parameters: Mapping[str, Any]
    ) -> RowMapping | None:
        async with self._connected() as connection:
            return await _first_row(connection, statement, parameters)

    @asynccontextmanager
    async def _connected(self) -> AsyncIterator[AsyncConnection]:
        if isinstance(self._bind, AsyncConnection):
            yield self._bind
            return
        async with self._bind.connect() as connection:
            yield connection


async def _first_row(
    connection: AsyncConnection, statement: Executable, parameters: Mapping[str, Any]
) -> RowMapping | None:
    result = await connection.execute(statement, parameters)
    row: RowMapping | None = result.mappings().first()
    return row
