"""Moving-window rate limits (the `limits` library), atomic in Redis, in memory without it."""

import math
import time
from functools import lru_cache
from typing import Any

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import Redis

from app.core.business_metrics import NO_BUSINESS_METRICS, BusinessMetrics
from app.core.config.redis import RedisSettings
from app.core.errors import ExternalServiceError, RateLimitedError


@lru_cache(maxsize=64)
def _parse(limit: str) -> RateLimitItem:
    return parse(limit)


class RateLimiter:
    """`await limiter.hit("5/hour", "sms", phone)` counts one hit or raises RateLimitedError.

    `limit` is a `limits` rate string; `name` names the limit (a constant: it is a metric
    label), so two limits of the same rate never share a counter; the identifiers name what
    is limited.
    """

    def __init__(self, storage: Storage, *, metrics: BusinessMetrics = NO_BUSINESS_METRICS) -> None:
        self._limiter = MovingWindowRateLimiter(storage)
        self._metrics = metrics

    async def hit(
        self, limit: str, name: str, *identifiers: str, detail: str | None = None
    ) -> None:
        """`detail`: what the 429 tells the client about the limit it reached."""
        item = _parse(limit)
        try:
            if await self._limiter.hit(item, name, *identifiers):
                return
            window = await self._limiter.get_window_stats(item, name, *identifiers)
        except StorageError as exc:
            # Closed, not open: without its counters the service cannot tell a flood from a user.
            raise ExternalServiceError("redis", "Rate limits cannot be checked") from exc
        # Whole seconds, rounded up: a client retrying at once after this many is let through.
        retry_after = max(1, math.ceil(window.reset_time - time.time()))
        self._metrics.rate_limited(name)
        raise RateLimitedError(retry_after_seconds=retry_after, detail=detail)

    async def clear(self, limit: str, *identifiers: str) -> None:
        """Forget every hit counted for these identifiers under `limit`."""
        try:
            await self._limiter.clear(_parse(limit), *identifiers)
        except StorageError as exc:
            raise ExternalServiceError("redis", "Rate limits cannot be changed") from exc


def create_rate_limiter(
    redis: Redis | None,
    settings: RedisSettings,
    *,
    metrics: BusinessMetrics = NO_BUSINESS_METRICS,
) -> RateLimiter:
    """On the service's Redis pool when there is one, else in this process's memory."""
    if redis is None:
        return RateLimiter(MemoryStorage(wrap_exceptions=True), metrics=metrics)
    # Shares the client's pool (one set of connections, closed with the client), so the URL
    # only picks the redis-py bridge. Typed as Any: `limits` declares its options as scalars.
    options: dict[str, Any] = {"connection_pool": redis.connection_pool}
    storage = RedisStorage(
        "redis://",
        implementation="redispy",
        key_prefix=f"{settings.redis_key_prefix}limits",
        wrap_exceptions=True,
        **options,
    )
    return RateLimiter(storage, metrics=metrics)
