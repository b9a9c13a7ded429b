"""Phone, username and verified e-mail are unique among live accounts, and reusable after
deletion; an unverified address is nobody's."""

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import ValueTakenError
from app.crud.uow import UnitOfWork
from app.models import User
from tests.factories import RefreshTokenFactory, UserFactory

VERIFIED = datetime(2026, 1, 1, tzinfo=UTC)
CLASHES = [
    pytest.param({"phone_number": "+15550100001"}, {"phone_number": "+15550100001"}, id="phone"),
    pytest.param({"username": "Alice"}, {"username": "aLICE"}, id="username-any-case"),
    pytest.param(
        {"email": "a@example.com", "email_verified_at": VERIFIED},
        {"email": "A@Example.COM", "email_verified_at": VERIFIED},
        id="email-any-case",
    ),
]
FIELDS = {"phone": "phone_number", "username-any-case": "username", "email-any-case": "email"}


async def add(session: AsyncSession, **values: Any) -> User:
    user = UserFactory.build(**values)
    session.add(user)
    await session.flush()
    return user


@pytest.mark.parametrize(("first", "second"), CLASHES)
async def test_two_live_accounts_cannot_share_a_value(
    session: AsyncSession, first: dict[str, str], second: dict[str, str]
) -> None:
    await add(session, **first)

    with pytest.raises(IntegrityError):
        await add(session, **second)


@pytest.mark.parametrize(("first", "second"), CLASHES)
async def test_a_deleted_accounts_value_can_be_reused(
    session: AsyncSession, first: dict[str, str], second: dict[str, str]
) -> None:
    old = await add(session, **first)
    old.soft_delete()
    await session.flush()

    new = await add(session, **second)

    assert new.id != old.id


async def test_any_number_of_accounts_may_have_no_email(session: AsyncSession) -> None:
    for _ in range(2):
        await add(session, email=None)


async def test_an_unverified_address_blocks_no_one(session: AsyncSession) -> None:
    await add(session, email="shared@example.com")
    await add(session, email="shared@example.com")

    verified = await add(session, email="Shared@example.com", email_verified_at=VERIFIED)

    assert verified.email == "shared@example.com"


@pytest.mark.parametrize(("first", "second"), CLASHES)
async def test_the_unit_of_work_names_the_field_a_write_collided_on(
    uow: UnitOfWork, first: dict[str, str], second: dict[str, str], request: pytest.FixtureRequest
) -> None:
    uow.users.add(UserFactory.build(**first))
    await uow.flush()
    uow.users.add(UserFactory.build(**second))

    with pytest.raises(ValueTakenError) as raised:
        await uow.flush()

    field = FIELDS[request.node.callspec.id]
    assert raised.value.extensions == {"field": field}
    assert isinstance(raised.value.__cause__, IntegrityError)


async def test_a_unique_index_without_a_field_stays_an_integrity_error(uow: UnitOfWork) -> None:
    """A duplicate refresh-token hash is a bug to see, not a conflict to report."""
    user = UserFactory.build()
    uow.users.add(user)
    await uow.flush()
    for _ in range(2):
        uow.refresh_tokens.add(RefreshTokenFactory.build(user_id=user.id, token_hash="a" * 64))

    with pytest.raises(IntegrityError):
        await uow.flush()
