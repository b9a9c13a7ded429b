"""What the application holds for its requests, typed: built once by `app.bootstrap` when
the app starts, stored on the app once, and read here."""

from dataclasses import dataclass

import httpx
from redis.asyncio import Redis
from starlette.requests import HTTPConnection

from app.core.background import BackgroundJobs
from app.core.business_metrics import BusinessMetrics
from app.core.rate_limit import RateLimiter
from app.core.security import AccessTokenVerifier
from app.core.token_state import TokenStateStore
from app.crud.accounts import AccountReader
from app.db.session import Database
from app.integrations.phone.base import PhoneVerifier
from app.integrations.phone.line_type import LineTypeLookup


@dataclass(frozen=True, slots=True)
class Resources:
    """Process-wide resources (pools, clients), opened and closed by the lifespan."""

    http: httpx.AsyncClient
    jobs: BackgroundJobs
    database: Database
    # The caller's account for the authenticated read path, without an ORM session.
    accounts: AccountReader
    redis: Redis | None  # None: development without REDIS_URL
    rate_limiter: RateLimiter
    token_state: TokenStateStore
    access_tokens: AccessTokenVerifier
    phone_verifier: PhoneVerifier
    line_types: LineTypeLookup | None  # None: SMS_LOOKUP_LINE_TYPE off
    business_metrics: BusinessMetrics


def resources_of(connection: HTTPConnection) -> Resources:
    """The running app's resources; the lifespan stored them before the first request."""
    resources: Resources = connection.app.state.resources
    return resources
