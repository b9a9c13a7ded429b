"""Process-wide resources (connection pools, clients), opened and closed by the lifespan."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from functools import cache

import httpx
from redis.asyncio import Redis

from app.core.background import BackgroundJobs
from app.core.business_metrics import BusinessMetrics
from app.core.config import Settings
from app.core.rate_limit import RateLimiter, create_rate_limiter
from app.core.redis import open_redis
from app.core.security import AccessTokenVerifier
from app.core.token_state import TokenStateStore, create_token_state_store
from app.db.migrate import upgrade_to_head
from app.db.session import Database, open_database
from app.integrations.phone.base import PhoneVerifier
from app.integrations.phone.factory import create_phone_verifier
from app.integrations.phone.line_type import LineTypeLookup, create_line_type_lookup

# Loading the CA bundle takes tens of milliseconds: once per process, not once per app.
_ssl_context = cache(httpx.create_ssl_context)


@dataclass(frozen=True, slots=True)
class Resources:
    """What request handlers share; reached through the dependencies in `app.api.deps`."""

    http: httpx.AsyncClient
    jobs: BackgroundJobs
    database: Database
    redis: Redis | None  # None: development without REDIS_URL
    rate_limiter: RateLimiter
    token_state: TokenStateStore
    access_tokens: AccessTokenVerifier
    phone_verifier: PhoneVerifier
    line_types: LineTypeLookup | None  # None: SMS_LOOKUP_LINE_TYPE off
    business_metrics: BusinessMetrics


@asynccontextmanager
async def open_resources(
    settings: Settings, *, business_metrics: BusinessMetrics
) -> AsyncIterator[Resources]:
    async with AsyncExitStack() as stack:
        http = await stack.enter_async_context(
            httpx.AsyncClient(timeout=settings.external_timeout_seconds, verify=_ssl_context())
        )
        database = await stack.enter_async_context(open_database(settings))
        if settings.migrate_on_startup:
            await upgrade_to_head(database.engine, settings)
        redis = await stack.enter_async_context(open_redis(settings))
        # Entered last, so left first: jobs still running stop before the pools they use.
        jobs = await stack.enter_async_context(BackgroundJobs())
        yield Resources(
            http=http,
            jobs=jobs,
            database=database,
            redis=redis,
            rate_limiter=create_rate_limiter(redis, settings, metrics=business_metrics),
            token_state=create_token_state_store(redis, settings),
            access_tokens=AccessTokenVerifier(settings),
            phone_verifier=create_phone_verifier(settings, http),
            line_types=create_line_type_lookup(settings, http, redis),
            business_metrics=business_metrics,
        )
