from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.db.soft_delete import INCLUDE_DELETED
from app.models import RefreshToken, User
from tests.factories import RefreshTokenFactory, UserFactory


async def test_soft_deleted_rows_are_hidden_by_default(session: AsyncSession) -> None:
    kept, deleted = UserFactory.build(), UserFactory.build()
    session.add_all([kept, deleted])
    await session.flush()

    deleted.soft_delete()
    await session.flush()

    assert deleted.is_deleted
    assert (await session.scalars(select(User))).all() == [kept]
    assert await session.get(User, deleted.id, populate_existing=True) is None


async def test_soft_deleted_rows_are_visible_on_request(session: AsyncSession) -> None:
    user = UserFactory.build()
    session.add(user)
    await session.flush()
    user.soft_delete()
    await session.flush()

    found = await session.scalars(select(User).execution_options(**{INCLUDE_DELETED: True}))

    assert found.all() == [user]


async def test_soft_deleted_rows_are_hidden_from_relationship_loads(
    session: AsyncSession,
) -> None:
    user = UserFactory.build()
    live, revoked = RefreshTokenFactory.build(user=user), RefreshTokenFactory.build(user=user)
    session.add_all([user, live, revoked])
    await session.flush()
    revoked.soft_delete()
    await session.flush()
    session.expunge_all()

    loaded = await session.scalar(
        select(User).where(User.id == user.id).options(selectinload(User.refresh_tokens))
    )

    assert loaded is not None
    assert [token.id for token in loaded.refresh_tokens] == [live.id]


async def test_restore_brings_a_row_back(session: AsyncSession) -> None:
    token = RefreshTokenFactory.build(user=UserFactory.build())
    session.add(token)
    await session.flush()
    token.soft_delete()
    await session.flush()

    token.restore()
    await session.flush()

    assert await session.scalar(select(RefreshToken)) is token
