"""The rate limiter on the real Redis (atomic under parallel hits) and in memory."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr
from redis.asyncio import Redis

from app.core.config import Settings
from app.core.errors import ExternalServiceError, RateLimitedError
from app.core.rate_limit import RateLimiter, create_rate_limiter
from app.core.redis import open_redis


@pytest.fixture(params=["redis", "memory"])
async def limiter(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[RateLimiter]:
    if request.param == "memory":
        yield create_rate_limiter(None, settings)
        return
    async with open_redis(settings) as redis:
        yield create_rate_limiter(redis, settings)


async def test_the_hit_past_the_limit_is_refused_with_a_retry_after(limiter: RateLimiter) -> None:
    for _ in range(5):
        await limiter.hit("5/hour", "sms", "+15550100001")

    with pytest.raises(RateLimitedError) as refused:
        await limiter.hit("5/hour", "sms", "+15550100001")

    assert 3500 < int(refused.value.headers["Retry-After"]) <= 3600
    assert refused.value.extensions["retry_after"] == int(refused.value.headers["Retry-After"])


async def test_identifiers_and_limit_names_keep_separate_counts(limiter: RateLimiter) -> None:
    await limiter.hit("1/minute", "sms", "+15550100001")

    await limiter.hit("1/minute", "sms", "+15550100002")
    await limiter.hit("1/minute", "login", "+15550100001")
    with pytest.raises(RateLimitedError):
        await limiter.hit("1/minute", "sms", "+15550100001")


async def test_clear_forgets_the_hits(limiter: RateLimiter) -> None:
    await limiter.hit("1/minute", "sms", "+15550100001")

    await limiter.clear("1/minute", "sms", "+15550100001")

    await limiter.hit("1/minute", "sms", "+15550100001")


async def test_parallel_hits_never_exceed_the_limit(limiter: RateLimiter) -> None:
    async def attempt() -> bool:
        try:
            await limiter.hit("5/minute", "parallel", "203.0.113.7")
        except RateLimitedError:
            return False
        return True

    outcomes = await asyncio.gather(*(attempt() for _ in range(40)))

    assert outcomes.count(True) == 5


async def test_redis_counters_live_under_the_key_prefix(redis: Redis, settings: Settings) -> None:
    async with open_redis(settings) as own:
        await create_rate_limiter(own, settings).hit("5/minute", "prefixed", "x")

    keys = [key async for key in redis.scan_iter(match=f"{settings.redis_key_prefix}*")]
    assert len(keys) == 1
    assert b"prefixed" in keys[0]


async def test_an_unreachable_redis_is_a_503_not_a_free_pass(settings: Settings) -> None:
    unreachable = settings.model_copy(update={"redis_url": SecretStr("redis://127.0.0.1:1/0")})
    async with open_redis(unreachable) as redis:
        limiter = create_rate_limiter(redis, unreachable)

        with pytest.raises(ExternalServiceError) as hit:
            await limiter.hit("5/minute", "down", "x")
        with pytest.raises(ExternalServiceError):
            await limiter.clear("5/minute", "down", "x")

    assert hit.value.status == 503
