"""The caller's own changes (`AccountStore.update_profile`, `update_settings`): the e-mail
rules (an unverified address is nobody's) and the access checks inside the UPDATE."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.crud.accounts import CoreAccountStore
from app.crud.uow import UnitOfWork
from app.db.types import utcnow
from app.models import Theme, User, UserSettings
from tests.sessions import create_user

NOW = utcnow()


async def stored(connection: AsyncConnection, user_id: uuid.UUID) -> RowMapping:
    """The row as stored, read with Core (the ORM's soft-delete filter would hide some)."""
    statement = (
        select(User.display_name, User.bio, User.updated_at, UserSettings.theme)
        .join(UserSettings, UserSettings.user_id == User.id)
        .where(User.id == user_id)
    )
    return (await connection.execute(statement)).mappings().one()


async def test_an_address_another_account_verified_can_be_claimed_unverified(
    uow: UnitOfWork, db_connection: AsyncConnection
) -> None:
    await create_user(uow, email="taken@example.com", email_verified_at=utcnow())
    user = await create_user(uow)

    account = await CoreAccountStore(db_connection).update_profile(
        user.id, NOW, {"email": "taken@example.com"}
    )

    assert account is not None
    assert (account.email, account.email_verified_at) == ("taken@example.com", None)


async def test_clearing_the_address_clears_its_verification(
    uow: UnitOfWork, db_connection: AsyncConnection
) -> None:
    user = await create_user(uow, email="ada@example.com", email_verified_at=utcnow())

    account = await CoreAccountStore(db_connection).update_profile(user.id, NOW, {"email": None})

    assert account is not None
    assert (account.email, account.email_verified_at) == (None, None)


async def test_keeping_the_same_address_keeps_its_verification(
    uow: UnitOfWork, db_connection: AsyncConnection
) -> None:
    verified_at = utcnow()
    user = await create_user(uow, email="ada@example.com", email_verified_at=verified_at)

    account = await CoreAccountStore(db_connection).update_profile(
        user.id, NOW, {"email": "ada@example.com", "bio": "Hi"}
    )

    assert account is not None
    assert (account.email_verified_at, account.bio) == (verified_at, "Hi")


async def test_a_change_moves_updated_at_and_nothing_else(
    uow: UnitOfWork, db_connection: AsyncConnection
) -> None:
    user = await create_user(uow, display_name="Before", bio="Kept")
    before = await stored(db_connection, user.id)

    account = await CoreAccountStore(db_connection).update_profile(
        user.id, NOW, {"display_name": "After"}
    )
    after = await stored(db_connection, user.id)

    assert account is not None
    assert (account.display_name, account.bio) == ("After", "Kept")
    assert (after["display_name"], after["bio"]) == ("After", "Kept")
    assert after["updated_at"] > before["updated_at"]


@pytest.mark.parametrize(
    "state",
    [
        {"deleted_at": NOW},
        {"is_active": False},
        {"tokens_valid_after": NOW + timedelta(seconds=1)},  # signed out everywhere since
    ],
    ids=["deleted", "deactivated", "signed-out-everywhere"],
)
async def test_an_account_the_token_may_no_longer_act_as_is_left_unchanged(
    uow: UnitOfWork, db_connection: AsyncConnection, state: dict[str, Any]
) -> None:
    user = await create_user(uow, display_name="Before", **state)
    store = CoreAccountStore(db_connection)

    assert await store.update_profile(user.id, NOW, {"display_name": "After"}) is None
    assert await store.update_settings(user.id, NOW, {"theme": Theme.DARK}) is None
    row = await stored(db_connection, user.id)
    assert (row["display_name"], row["theme"]) == ("Before", Theme.SYSTEM)


async def test_settings_change_only_the_callers_row(
    uow: UnitOfWork, db_connection: AsyncConnection
) -> None:
    caller, other = await create_user(uow), await create_user(uow)

    changed = await CoreAccountStore(db_connection).update_settings(
        caller.id, NOW, {"theme": Theme.DARK, "notify_sms": False}
    )

    assert changed is not None
    assert (changed.theme, changed.notify_sms, changed.notify_email) == (Theme.DARK, False, True)
    assert (await stored(db_connection, other.id))["theme"] == Theme.SYSTEM
    assert await CoreAccountStore(db_connection).update_settings(uuid.uuid4(), NOW, {}) is None


async def test_an_unknown_account_changes_nothing(db_connection: AsyncConnection) -> None:
    store = CoreAccountStore(db_connection)

    assert await store.update_profile(uuid.uuid4(), NOW, {"bio": "Hi"}) is None
    assert (await db_connection.scalars(select(User.id).where(User.bio == "Hi"))).all() == []
