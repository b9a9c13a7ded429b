"""Both token-state stores behave alike; the Redis one on the real server, under a test prefix."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr
from redis.asyncio import Redis

from app.core.config import Settings
from app.core.errors import ExternalServiceError
from app.core.redis import open_redis
from app.core.security import LEEWAY_SECONDS
from app.core.token_state import (
    MemoryTokenStateStore,
    RedisTokenStateStore,
    TokenStateStore,
    create_token_state_store,
)


@pytest.fixture(params=["redis", "memory"])
async def store(
    request: pytest.FixtureRequest, settings: Settings
) -> AsyncIterator[TokenStateStore]:
    if request.param == "memory":
        yield create_token_state_store(None, settings)
        return
    async with open_redis(settings) as redis:
        yield create_token_state_store(redis, settings)


async def test_nothing_is_revoked_at_first(store: TokenStateStore) -> None:
    assert await store.access_token_state(uuid.uuid4(), uuid.uuid4(), "jti-1") == (False, None)


async def test_a_revoked_session_is_reported_and_others_are_not(store: TokenStateStore) -> None:
    user_id, session_id, other_session = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    await store.revoke_session(session_id)

    assert await store.access_token_state(session_id, user_id, "jti-1") == (True, None)
    assert await store.access_token_state(other_session, user_id, "jti-1") == (False, None)


async def test_tokens_valid_after_keeps_microseconds_and_is_per_user(
    store: TokenStateStore,
) -> None:
    user_id, other = uuid.uuid4(), uuid.uuid4()
    at = datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)

    await store.set_tokens_valid_after(user_id, at)

    assert await store.access_token_state(uuid.uuid4(), user_id, "jti-1") == (False, at)
    assert await store.access_token_state(uuid.uuid4(), other, "jti-1") == (False, None)


async def test_memory_entries_are_forgotten_once_they_refuse_nothing() -> None:
    store = MemoryTokenStateStore(access_token_ttl_seconds=60)
    user_id = uuid.uuid4()
    await store.set_tokens_valid_after(user_id, datetime.now(UTC))
    store._valid_after[user_id] = (datetime.now(UTC), 0.0)  # as if its lifetime had passed

    session_id = uuid.uuid4()

    await store.revoke_session(session_id)

    assert await store.access_token_state(session_id, user_id, "jti-1") == (True, None)
    assert user_id not in store._valid_after


async def test_redis_entries_expire_with_the_tokens_they_refuse(
    redis: Redis, settings: Settings
) -> None:
    store = RedisTokenStateStore(
        redis, key_prefix=settings.redis_key_prefix, access_token_ttl_seconds=600
    )
    user_id, session_id = uuid.uuid4(), uuid.uuid4()

    await store.revoke_session(session_id)
    await store.set_tokens_valid_after(user_id, datetime.now(UTC))

    revoked_ttl = await redis.ttl(f"{settings.redis_key_prefix}revoked-session:{session_id}")
    valid_after_ttl = await redis.ttl(f"{settings.redis_key_prefix}tokens-valid-after:{user_id}")
    assert 600 <= revoked_ttl <= 600 + LEEWAY_SECONDS + 1
    assert 600 <= valid_after_ttl <= 600 + LEEWAY_SECONDS + 1


async def test_a_token_revoked_by_logout_before_the_upgrade_stays_revoked(
    redis: Redis, settings: Settings
) -> None:
    # Until 0.1.0, logout wrote the token id alone; an upgrade must not revive that token.
    store = create_token_state_store(redis, settings)
    await redis.set(f"{settings.redis_key_prefix}revoked-jti:jti-1", b"1", ex=60)

    assert await store.access_token_state(uuid.uuid4(), uuid.uuid4(), "jti-1") == (True, None)
    assert await store.access_token_state(uuid.uuid4(), uuid.uuid4(), "jti-2") == (False, None)


async def test_an_unreachable_redis_is_a_503_not_a_free_pass(settings: Settings) -> None:
    unreachable = settings.model_copy(update={"redis_url": SecretStr("redis://127.0.0.1:1/0")})
    async with open_redis(unreachable) as redis:
        store = create_token_state_store(redis, unreachable)

        with pytest.raises(ExternalServiceError):
            await store.access_token_state(uuid.uuid4(), uuid.uuid4(), "jti-1")
        with pytest.raises(ExternalServiceError):
            await store.revoke_session(uuid.uuid4())
        with pytest.raises(ExternalServiceError):
            await store.set_tokens_valid_after(uuid.uuid4(), datetime.now(UTC))
