"""The code rules on the real database: hashing, expiry, attempts, burning, single use."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from limits.aio.storage import MemoryStorage
from pydantic import SecretStr

from app.core.config import Settings
from app.core.errors import InvalidVerificationCodeError, RateLimitedError
from app.core.rate_limit import RateLimiter, create_rate_limiter
from app.core.redis import open_redis
from app.crud.uow import UnitOfWork
from app.db.session import SessionFactory
from app.db.types import utcnow
from app.models import VerificationChannel, VerificationPurpose, VerificationRecord
from app.services.verification import (
    CODE_DIGITS,
    VerificationService,
    code_hash_key,
    generate_code,
    hash_code,
)
from tests.phone_auth import new_phone


@pytest.fixture
async def redis_rate_limiter(settings: Settings) -> AsyncIterator[RateLimiter]:
    async with open_redis(settings) as redis:
        assert redis is not None, "tests run against a real Redis (TEST_REDIS_URL)"
        yield create_rate_limiter(redis, settings)


@pytest.fixture
def service(uow: UnitOfWork, settings: Settings) -> VerificationService:
    return VerificationService(uow, settings, RateLimiter(MemoryStorage()))


async def started(service: VerificationService, uow: UnitOfWork) -> tuple[VerificationRecord, str]:
    verification = service.new_verification(
        VerificationPurpose.LOGIN, VerificationChannel.SMS, new_phone()
    )
    verification.provider = "console"
    code = service.issue_code(verification)
    uow.verifications.add(verification)
    await uow.session.commit()
    return verification, code


async def stored(
    session_factory: SessionFactory, verification: VerificationRecord
) -> VerificationRecord:
    """The row as another session reads it: what was committed, not what is in memory."""
    async with UnitOfWork(session_factory) as other:
        return await other.verifications.get_or_raise(verification.id)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


def test_codes_have_six_digits() -> None:
    codes = {generate_code() for _ in range(200)}

    assert all(len(code) == CODE_DIGITS and code.isdigit() for code in codes)
    assert len(codes) > 190  # random, not a counter or a constant


async def test_only_a_keyed_hash_of_the_code_is_stored(
    service: VerificationService,
    uow: UnitOfWork,
    settings: Settings,
    session_factory: SessionFactory,
) -> None:
    verification, code = await started(service, uow)

    code_hash = (await stored(session_factory, verification)).code_hash
    assert code not in code_hash
    assert code_hash == hash_code(code_hash_key(settings), verification, code)
    other_key = settings.model_copy(update={"secret_key": SecretStr("another-key-" * 4)})
    assert hash_code(code_hash_key(other_key), verification, code) != code_hash


async def test_the_right_code_is_consumed_once(
    service: VerificationService, uow: UnitOfWork
) -> None:
    verification, code = await started(service, uow)

    consumed = await service.consume(verification, code)

    assert consumed.consumed_at is not None
    assert consumed.verified_at == consumed.consumed_at
    with pytest.raises(InvalidVerificationCodeError):
        await service.consume(verification, code)


async def test_each_wrong_code_is_counted_durably(
    service: VerificationService, uow: UnitOfWork, session_factory: SessionFactory
) -> None:
    verification, code = await started(service, uow)

    with pytest.raises(InvalidVerificationCodeError):
        await service.consume(verification, wrong(code))

    # Committed before the error: the request's rollback does not undo it.
    assert (await stored(session_factory, verification)).attempts == 1


async def test_the_fifth_wrong_code_burns_the_verification(
    service: VerificationService, uow: UnitOfWork, session_factory: SessionFactory
) -> None:
    verification, code = await started(service, uow)
    for _ in range(4):
        with pytest.raises(InvalidVerificationCodeError):
            await service.consume(verification, wrong(code))
    with pytest.raises(InvalidVerificationCodeError):
        await service.consume(verification, wrong(code))

    with pytest.raises(InvalidVerificationCodeError):
        await service.consume(verification, code)
    assert (await stored(session_factory, verification)).attempts == 5


async def test_the_right_code_still_works_at_the_last_attempt(
    service: VerificationService, uow: UnitOfWork
) -> None:
    verification, code = await started(service, uow)
    for _ in range(4):
        with pytest.raises(InvalidVerificationCodeError):
            await service.consume(verification, wrong(code))

    assert (await service.consume(verification, code)).consumed_at is not None


async def test_an_expired_code_fails(service: VerificationService, uow: UnitOfWork) -> None:
    verification, code = await started(service, uow)
    verification.expires_at = utcnow() - timedelta(seconds=1)
    await uow.session.commit()

    with pytest.raises(InvalidVerificationCodeError):
        await service.consume(verification, code)


async def test_no_verification_fails_like_a_wrong_code(service: VerificationService) -> None:
    with pytest.raises(InvalidVerificationCodeError):
        await service.consume(None, "123456")


async def test_a_remote_check_replaces_the_hash_comparison(
    service: VerificationService, uow: UnitOfWork
) -> None:
    verification, _ = await started(service, uow)
    asked: list[str] = []

    async def refuse(code: str) -> bool:
        asked.append(code)
        return False

    async def accept(code: str) -> bool:
        asked.append(code)
        return True

    with pytest.raises(InvalidVerificationCodeError):
        await service.consume(verification, "111111", remote_check=refuse)
    await service.consume(verification, "222222", remote_check=accept)

    assert asked == ["111111", "222222"]


async def test_a_remote_check_is_not_asked_once_the_code_is_burnt(
    service: VerificationService, uow: UnitOfWork
) -> None:
    verification, _ = await started(service, uow)
    verification.attempts = verification.max_attempts
    await uow.session.commit()

    async def must_not_be_called(code: str) -> bool:
        raise AssertionError("asked the provider about a burnt code")

    with pytest.raises(InvalidVerificationCodeError):
        await service.consume(verification, "123456", remote_check=must_not_be_called)


async def test_renew_restarts_the_validity_but_keeps_the_attempts(
    service: VerificationService, uow: UnitOfWork
) -> None:
    verification, code = await started(service, uow)
    with pytest.raises(InvalidVerificationCodeError):
        await service.consume(verification, wrong(code))
    verification.expires_at = utcnow()

    service.renew(verification)

    assert verification.expires_at > utcnow() + timedelta(minutes=9)
    assert verification.send_count == 2
    assert verification.attempts == 1


async def test_sends_wait_for_the_cooldown(uow: UnitOfWork, settings: Settings) -> None:
    service = VerificationService(uow, settings, RateLimiter(MemoryStorage()))
    phone = new_phone()
    await service.count_send(VerificationChannel.SMS, phone, network="192.0.2.1")

    with pytest.raises(RateLimitedError) as raised:
        await service.count_send(VerificationChannel.SMS, phone, network="192.0.2.1")

    retry_after = int(raised.value.headers["Retry-After"])
    assert 0 < retry_after <= settings.verification_resend_cooldown_seconds
    # Another client network, another number, or the same number by e-mail: not delayed.
    await service.count_send(VerificationChannel.SMS, phone, network="198.51.100.1")
    await service.count_send(VerificationChannel.SMS, new_phone(), network="192.0.2.1")
    await service.count_send(VerificationChannel.EMAIL, phone)


async def test_sends_per_client_and_per_number_hold_even_in_parallel(
    uow: UnitOfWork, settings: Settings, redis_rate_limiter: RateLimiter
) -> None:
    no_cooldown = settings.model_copy(update={"verification_resend_cooldown_seconds": 0})
    service = VerificationService(uow, no_cooldown, redis_rate_limiter)
    phone = new_phone()
    networks = ["192.0.2.1", "198.51.100.1", "203.0.113.1"]

    outcomes = await asyncio.gather(
        *(
            service.count_send(VerificationChannel.SMS, phone, network=network)
            for network in networks
            for _ in range(6)
        ),
        return_exceptions=True,
    )

    sent = [outcome for outcome in outcomes if outcome is None]
    refused = [outcome for outcome in outcomes if isinstance(outcome, RateLimitedError)]
    assert (settings.verification_sends_per_client, settings.verification_sends_per_number) == (
        "3/15 minutes",
        "6/15 minutes",
    )
    assert (len(sent), len(refused)) == (6, 12)
    assert all(0 < int(error.headers["Retry-After"]) <= 900 for error in refused)
