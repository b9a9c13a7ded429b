"""UserService account rules, on the real database."""

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from app.core.errors import NotFoundError, ValueTakenError
from app.crud.uow import UnitOfWork
from app.db.types import utcnow
from app.models import RefreshToken, RevocationReason, User
from app.services.users import UserService
from tests.factories import RefreshTokenFactory
from tests.sessions import create_user


@pytest.fixture
def service(uow: UnitOfWork) -> UserService:
    return UserService(uow)


async def test_create_user_adds_the_account_with_default_settings(
    service: UserService, uow: UnitOfWork
) -> None:
    user = await service.create_user(
        phone_number="+15550100001", username="Alice", email="Alice@Example.com"
    )

    assert await uow.users.get(user.id) is user
    assert user.username_normalized == "alice"
    assert user.email == "alice@example.com"
    assert user.phone_verified_at is not None
    assert user.settings.language == "en"


async def test_create_user_takes_the_language_from_the_locale(service: UserService) -> None:
    user = await service.create_user(
        phone_number="+15550100001", username="bob", locale="de", phone_verified=False
    )

    assert user.settings.language == "de"
    assert user.phone_verified_at is None


@pytest.mark.parametrize(
    ("taken", "field"),
    [
        ({"phone_number": "+15550100001"}, "phone_number"),
        ({"username": "ALICE"}, "username"),
    ],
)
async def test_create_user_refuses_values_a_live_account_holds(
    service: UserService, uow: UnitOfWork, taken: dict[str, Any], field: str
) -> None:
    await create_user(uow, phone_number="+15550100001", username="alice", email="alice@example.com")
    new: dict[str, Any] = {
        "phone_number": "+15550100002",
        "username": "bob",
        "email": "bob@example.com",
    } | taken

    with pytest.raises(ValueTakenError) as raised:
        await service.create_user(**new)

    assert raised.value.extensions == {"field": field}
    assert await uow.session.scalar(select(func.count()).select_from(User)) == 1


async def test_an_address_another_account_verified_starts_unverified_on_a_new_one(
    service: UserService, uow: UnitOfWork
) -> None:
    await create_user(uow, email="alice@example.com", email_verified_at=utcnow())

    user = await service.create_user(
        phone_number="+15550100002", username="bob", email="ALICE@example.com"
    )

    assert (user.email, user.email_verified_at) == ("alice@example.com", None)


async def test_values_of_a_deleted_account_can_be_reused(
    service: UserService, uow: UnitOfWork
) -> None:
    old = await create_user(uow, phone_number="+15550100001", username="alice")
    old.soft_delete()
    await uow.flush()

    user = await service.create_user(phone_number="+15550100001", username="alice")

    assert user.id != old.id


async def test_get_user_raises_not_found_for_unknown_and_deleted_accounts(
    service: UserService, uow: UnitOfWork
) -> None:
    deleted = await create_user(uow)
    deleted.soft_delete()
    await uow.flush()

    for user_id in (uuid.uuid4(), deleted.id):
        with pytest.raises(NotFoundError):
            await service.get_user(user_id)


async def test_get_user_returns_a_live_account(service: UserService, uow: UnitOfWork) -> None:
    user = await create_user(uow)

    assert await service.get_user(user.id) is user


async def test_delete_user_soft_deletes_and_ends_every_session(
    service: UserService, uow: UnitOfWork
) -> None:
    user, other = await create_user(uow), await create_user(uow)
    tokens = [RefreshTokenFactory.build(user_id=u.id) for u in (user, user, other)]
    uow.session.add_all(tokens)
    await uow.flush()

    await service.delete_user(user.id)

    assert user.is_deleted
    assert not user.is_active
    assert user.tokens_valid_after == user.deleted_at
    reasons = await uow.session.scalars(
        select(RefreshToken.revoked_reason)
        .where(RefreshToken.id.in_([t.id for t in tokens]))
        .order_by(RefreshToken.user_id == other.id)
    )
    assert list(reasons) == [
        RevocationReason.ACCOUNT_DELETED,
        RevocationReason.ACCOUNT_DELETED,
        None,
    ]


async def test_reserved_and_taken_usernames_are_not_available(
    service: UserService, uow: UnitOfWork
) -> None:
    await create_user(uow, username="alice")

    assert not await service.username_available("ALICE")
    assert not await service.username_available("admin")
    assert await service.username_available("bob")
