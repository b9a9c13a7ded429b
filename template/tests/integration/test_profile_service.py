"""ProfileService rules on the e-mail address: an unverified one is nobody's."""

from app.crud.uow import UnitOfWork
from app.db.types import utcnow
from app.services.profiles import ProfileService
from tests.sessions import create_user


async def test_an_address_another_account_verified_can_be_claimed_unverified(
    uow: UnitOfWork,
) -> None:
    await create_user(uow, email="taken@example.com", email_verified_at=utcnow())
    user = await create_user(uow)

    await ProfileService(uow).update_profile(user, {"email": "taken@example.com"})

    assert (user.email, user.email_verified_at) == ("taken@example.com", None)


async def test_clearing_the_address_clears_its_verification(uow: UnitOfWork) -> None:
    user = await create_user(uow, email="ada@example.com", email_verified_at=utcnow())

    await ProfileService(uow).update_profile(user, {"email": None})

    assert (user.email, user.email_verified_at) == (None, None)


async def test_keeping_the_same_address_keeps_its_verification(uow: UnitOfWork) -> None:
    verified_at = utcnow()
    user = await create_user(uow, email="ada@example.com", email_verified_at=verified_at)

    await ProfileService(uow).update_profile(user, {"email": "ada@example.com", "bio": "Hi"})

    assert (user.email_verified_at, user.bio) == (verified_at, "Hi")
