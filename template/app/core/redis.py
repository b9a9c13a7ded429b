"""The process-wide Redis client (redis.asyncio), or None where development runs without one."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.core.config.redis import RedisSettings

logger = structlog.get_logger("app.redis")


@asynccontextmanager
async def open_redis(settings: RedisSettings) -> AsyncIterator[Redis | None]:
    """A pooled client for REDIS_URL, closed at the end; None when REDIS_URL is unset."""
    if settings.redis_url is None:
        yield None
        return
    redis = Redis.from_url(
        settings.redis_url.get_secret_value(),
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
        health_check_interval=30,
    )
    try:
        yield redis
    finally:
        await redis.aclose()


async def redis_is_available(redis: Redis, *, timeout_seconds: float) -> bool:
    """Whether Redis answers a PING within the timeout."""
    try:
        async with asyncio.timeout(timeout_seconds):
            await redis.ping()
    except (TimeoutError, OSError, RedisError) as exc:
        logger.warning("redis_unavailable", error_type=type(exc).__name__, error=str(exc))
        return False
    return True
