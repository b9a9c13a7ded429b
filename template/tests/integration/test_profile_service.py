"""ProfileService rules that the API tests cannot reach: races on the unique e-mail index."""

import pytest

from app.core.errors import ConflictError
from app.crud.users import UserRepository
from app.db.types import utcnow
from app.db.uow import UnitOfWork
from app.models import User
from app.services.profiles import ProfileService
from tests.sessions import create_user


class EmailCheckLosesTheRace(UserRepository):
    """The other account commits its address between this request's check and its write."""

    async def get_by_email(self, email: str) -> User | None:
        return None


async def test_an_address_taken_in_a_race_is_a_conflict(uow: UnitOfWork) -> None:
    await create_user(uow, email="taken@example.com")
    user = await create_user(uow)
    uow.users = EmailCheckLosesTheRace(uow.session)

    with pytest.raises(ConflictError) as conflict:
        await ProfileService(uow).update_profile(user, {"email": "taken@example.com"})

    assert conflict.value.extensions == {"field": "email"}


async def test_clearing_the_address_clears_its_verification(uow: UnitOfWork) -> None:
    user = await create_user(uow, email="ada@example.com", email_verified_at=utcnow())

    await ProfileService(uow).update_profile(user, {"email": None})

    assert (user.email, user.email_verified_at) == (None, None)


async def test_keeping_the_same_address_keeps_its_verification(uow: UnitOfWork) -> None:
    verified_at = utcnow()
    user = await create_user(uow, email="ada@example.com", email_verified_at=verified_at)

    await ProfileService(uow).update_profile(user, {"email": "ada@example.com", "bio": "Hi"})

    assert (user.email_verified_at, user.bio) == (verified_at, "Hi")
