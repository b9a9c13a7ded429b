from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.crud.refresh_tokens import RefreshTokenRepository
from app.crud.verifications import VerificationRepository
from app.db.types import utcnow
from app.models import RevocationReason, User, VerificationPurpose
from tests.factories import RefreshTokenFactory, UserFactory, VerificationRecordFactory


@pytest.fixture
async def user(session: AsyncSession) -> User:
    user = UserFactory.build()
    session.add(user)
    await session.flush()
    return user


async def test_latest_verification_for_a_target_and_purpose(session: AsyncSession) -> None:
    repository = VerificationRepository(session)
    now = utcnow()
    older, newer, other_purpose = (
        VerificationRecordFactory.build(
            target="+15550100001", created_at=now - timedelta(minutes=2)
        ),
        VerificationRecordFactory.build(
            target="+15550100001", created_at=now - timedelta(minutes=1)
        ),
        VerificationRecordFactory.build(target="+15550100001", purpose=VerificationPurpose.LOGIN),
    )
    session.add_all([older, newer, other_purpose])
    await session.flush()

    latest = await repository.latest_for("+15550100001", VerificationPurpose.REGISTRATION)

    assert latest is newer
    assert await repository.latest_for("+15550100002", VerificationPurpose.LOGIN) is None


async def test_delivery_status_moves_forward_only_from_the_given_statuses(
    session: AsyncSession,
) -> None:
    repository = VerificationRepository(session)
    record = repository.add(
        VerificationRecordFactory.build(provider_ref="SM0123456789abcdef", delivery_status="sent")
    )
    await session.flush()
    now = utcnow()

    moved = await repository.advance_delivery_status(
        "SM0123456789abcdef", "failed", earlier={"queued", "sent"}, error_code="30003", at=now
    )
    again = await repository.advance_delivery_status(
        "SM0123456789abcdef", "delivered", earlier={"queued", "sent"}, error_code=None, at=now
    )
    unknown = await repository.advance_delivery_status(
        "SMother", "sent", earlier={"queued"}, error_code=None, at=now
    )

    assert moved == (record.id, record.target)
    assert again is None
    assert unknown is None
    await session.refresh(record)
    assert (record.delivery_status, record.delivery_error_code) == ("failed", "30003")


async def test_refresh_token_found_by_hash(session: AsyncSession, user: User) -> None:
    repository = RefreshTokenRepository(session)
    token = repository.add(RefreshTokenFactory.build(user=user))
    await session.flush()

    assert await repository.get_by_hash(token.token_hash) is token
    assert await repository.get_by_hash("0" * 64) is None


async def test_revoking_a_family_revokes_only_its_live_tokens(
    session: AsyncSession, user: User
) -> None:
    repository = RefreshTokenRepository(session)
    earlier = utcnow() - timedelta(hours=1)
    rotated = RefreshTokenFactory.build(
        user=user, revoked_at=earlier, revoked_reason=RevocationReason.ROTATED
    )
    current = RefreshTokenFactory.build(user=user, family_id=rotated.family_id)
    other_session = RefreshTokenFactory.build(user=user)
    session.add_all([rotated, current, other_session])
    await session.flush()
    now = utcnow()

    revoked = await repository.revoke_family(
        rotated.family_id, reason=RevocationReason.REUSE_DETECTED, at=now
    )

    assert revoked == 1
    assert (current.revoked_at, current.revoked_reason) == (now, RevocationReason.REUSE_DETECTED)
    assert (rotated.revoked_at, rotated.revoked_reason) == (earlier, RevocationReason.ROTATED)
    assert not other_session.is_revoked


async def test_revoking_all_tokens_of_a_user(session: AsyncSession, user: User) -> None:
    repository = RefreshTokenRepository(session)
    other_user = UserFactory.build()
    tokens = [RefreshTokenFactory.build(user=user) for _ in range(2)]
    others = RefreshTokenFactory.build(user=other_user)
    session.add_all([*tokens, other_user, others])
    await session.flush()

    revoked = await repository.revoke_all_for_user(
        user.id, reason=RevocationReason.LOGOUT_ALL, at=utcnow()
    )

    assert revoked == 2
    assert all(token.is_revoked for token in tokens)
    assert not others.is_revoked
