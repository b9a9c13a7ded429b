import uuid
from datetime import UTC, timedelta

import pytest
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.db.types import utcnow
from app.models import RefreshToken, User, UserSettings, VerificationRecord
from tests.factories import (
    RefreshTokenFactory,
    UserFactory,
    UserSettingsFactory,
    VerificationRecordFactory,
)


async def test_primary_keys_are_uuids_generated_by_the_application(session: AsyncSession) -> None:
    user = UserFactory.build()
    session.add(user)
    await session.flush()
    session.expunge_all()

    loaded = await session.get(User, user.id)

    assert isinstance(user.id, uuid.UUID)
    assert loaded is not None
    assert loaded.id == user.id


async def test_timestamps_are_utc_aware_after_a_round_trip(session: AsyncSession) -> None:
    user = UserFactory.build()
    session.add(user)
    await session.flush()
    session.expunge_all()

    loaded = await session.get(User, user.id)

    assert loaded is not None
    for value in (loaded.created_at, loaded.updated_at):
        assert value.tzinfo is UTC
    assert loaded.created_at == user.created_at


async def test_rows_written_by_plain_sql_get_utc_timestamps_from_the_server(
    session: AsyncSession,
) -> None:
    await session.execute(
        insert(User).values(
            id=uuid.uuid4(), phone_number="+15550100001", username="sql", username_normalized="sql"
        )
    )

    loaded = await session.scalar(select(User).where(User.username == "sql"))

    assert loaded is not None
    assert loaded.created_at.tzinfo is UTC
    assert abs(loaded.created_at - utcnow()) < timedelta(minutes=5)


async def test_updated_at_moves_on_every_update_and_created_at_does_not(
    session: AsyncSession,
) -> None:
    user = UserFactory.build()
    session.add(user)
    await session.flush()
    created_at, first_update = user.created_at, user.updated_at

    for bio in ("first", "second"):
        user.bio = bio
        await session.flush()
        assert user.updated_at > first_update
        first_update = user.updated_at

    assert user.created_at == created_at


async def test_relationships_are_mapped_both_ways(session: AsyncSession) -> None:
    user = UserFactory.build(settings=UserSettingsFactory.build())
    verification = VerificationRecordFactory.build(user=user)
    token = RefreshTokenFactory.build(user=user)
    session.add_all([user, verification, token])
    await session.flush()
    session.expunge_all()

    loaded = await session.scalar(
        select(User)
        .where(User.id == user.id)
        .options(
            selectinload(User.settings),
            selectinload(User.verifications),
            selectinload(User.refresh_tokens),
        )
    )

    assert loaded is not None
    assert loaded.settings.user is loaded
    assert [a.id for a in loaded.verifications] == [verification.id]
    assert loaded.verifications[0].user is loaded
    assert [t.id for t in loaded.refresh_tokens] == [token.id]
    assert loaded.refresh_tokens[0].user is loaded
    assert await verification.awaitable_attrs.user is user


async def test_deleting_a_user_row_deletes_what_belongs_to_it(session: AsyncSession) -> None:
    # ON DELETE CASCADE in the database (SQLite enforces foreign keys only when asked to).
    user = UserFactory.build(settings=UserSettingsFactory.build())
    session.add_all(
        [user, VerificationRecordFactory.build(user=user), RefreshTokenFactory.build(user=user)]
    )
    await session.flush()

    await session.execute(delete(User).where(User.id == user.id))

    for model in (UserSettings, VerificationRecord, RefreshToken):
        assert await session.scalar(select(func.count()).select_from(model)) == 0


async def test_foreign_keys_are_enforced(session: AsyncSession) -> None:
    session.add(RefreshTokenFactory.build(user_id=uuid.uuid4()))

    with pytest.raises(IntegrityError, match=r"(?i)foreign key"):
        await session.flush()
