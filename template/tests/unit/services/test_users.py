import uuid
from typing import Any

import pytest

from app.core.errors import ConflictError, NotFoundError
from app.models import RevocationReason
from app.services.users import NewUser, UserService
from tests.factories import RefreshTokenFactory, UserFactory
from tests.fakes import FakeUnitOfWork


@pytest.fixture
def fake_uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def service(fake_uow: FakeUnitOfWork) -> UserService:
    return UserService(fake_uow)


async def test_create_user_adds_the_account_with_default_settings(
    service: UserService, fake_uow: FakeUnitOfWork
) -> None:
    user = await service.create_user(
        NewUser(phone_number="+15550100001", username="Alice", email="Alice@Example.com")
    )

    assert fake_uow.users.rows[user.id] is user
    assert fake_uow.flushes == 1
    assert user.username_normalized == "alice"
    assert user.email == "alice@example.com"
    assert user.phone_verified_at is not None
    assert user.settings.language == "en"


async def test_create_user_takes_the_language_from_the_locale(service: UserService) -> None:
    user = await service.create_user(
        NewUser(phone_number="+15550100001", username="bob", locale="de", phone_verified=False)
    )

    assert user.settings.language == "de"
    assert user.phone_verified_at is None


@pytest.mark.parametrize(
    ("taken", "field"),
    [
        ({"phone_number": "+15550100001"}, "phone_number"),
        ({"username": "ALICE"}, "username"),
        ({"email": "ALICE@example.com"}, "email"),
    ],
)
async def test_create_user_refuses_values_a_live_account_holds(
    service: UserService, fake_uow: FakeUnitOfWork, taken: dict[str, Any], field: str
) -> None:
    fake_uow.users.add(
        UserFactory.build(phone_number="+15550100001", username="alice", email="alice@example.com")
    )
    new: dict[str, Any] = {
        "phone_number": "+15550100002",
        "username": "bob",
        "email": "bob@example.com",
    } | taken

    with pytest.raises(ConflictError) as raised:
        await service.create_user(NewUser(**new))

    assert raised.value.extensions == {"field": field}
    assert len(fake_uow.users.rows) == 1


async def test_values_of_a_deleted_account_can_be_reused(
    service: UserService, fake_uow: FakeUnitOfWork
) -> None:
    old = fake_uow.users.add(UserFactory.build(phone_number="+15550100001", username="alice"))
    old.soft_delete()

    user = await service.create_user(NewUser(phone_number="+15550100001", username="alice"))

    assert user is not old


async def test_get_user_raises_not_found_for_unknown_and_deleted_accounts(
    service: UserService, fake_uow: FakeUnitOfWork
) -> None:
    deleted = fake_uow.users.add(UserFactory.build())
    deleted.soft_delete()

    for user_id in (uuid.uuid4(), deleted.id):
        with pytest.raises(NotFoundError):
            await service.get_user(user_id)


async def test_get_user_returns_a_live_account(
    service: UserService, fake_uow: FakeUnitOfWork
) -> None:
    user = fake_uow.users.add(UserFactory.build())

    assert await service.get_user(user.id) is user


async def test_delete_user_soft_deletes_and_ends_every_session(
    service: UserService, fake_uow: FakeUnitOfWork
) -> None:
    user = fake_uow.users.add(UserFactory.build())
    other = fake_uow.users.add(UserFactory.build())
    tokens = [RefreshTokenFactory.build(user_id=u.id) for u in (user, user, other)]
    fake_uow.refresh_tokens.rows.extend(tokens)

    await service.delete_user(user.id)

    assert user.is_deleted
    assert not user.is_active
    assert user.tokens_valid_after == user.deleted_at
    assert [t.revoked_reason for t in tokens] == [
        RevocationReason.ACCOUNT_DELETED,
        RevocationReason.ACCOUNT_DELETED,
        None,
    ]
    assert fake_uow.flushes == 1
