"""What the driver-only references share: their configuration (BENCH_* environment variables,
set by the benchmark), the pools opened by the lifespan, the per-address limit every /auth
request counts, and a session's start as the service starts one (a refresh token stored as
its SHA-256, an access token signed as the service signs it)."""

import hashlib
import ipaddress
import os
import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import asyncpg
import jwt
from fastapi import FastAPI, HTTPException, Request
from limits import RateLimitItem, parse
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import Redis

KEYS = {os.environ["BENCH_JWT_KID"]: os.environ["BENCH_JWT_KEY"]}
AUDIENCE = os.environ["BENCH_JWT_AUDIENCE"]
ISSUER = os.environ["BENCH_JWT_ISSUER"]
PREFIX = os.environ["BENCH_REDIS_PREFIX"]
ACCESS_TTL = timedelta(minutes=30)  # the service's defaults
REFRESH_TTL = timedelta(days=7)
AUTH_LIMIT = parse(os.environ["BENCH_AUTH_RATE_LIMIT"])
INSERT_SESSION_ROW = """
    INSERT INTO refresh_tokens (id, user_id, token_hash, family_id, expires_at, user_agent,
                                ip_address, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
"""
state: dict[str, Any] = {"overrides": {}, "overrides_until": float("-inf")}


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    size = int(os.environ["BENCH_POOL_SIZE"])
    state["pool"] = await asyncpg.create_pool(
        os.environ["BENCH_POSTGRES_DSN"], min_size=size, max_size=size
    )
    state["redis"] = Redis.from_url(os.environ["BENCH_REDIS_URL"])
    storage = RedisStorage(
        "redis://",
        implementation="redispy",
        key_prefix=f"{PREFIX}limits-reference",
        connection_pool=state["redis"].connection_pool,
    )
    state["limiter"] = MovingWindowRateLimiter(storage)
    yield
    await state["redis"].aclose()
    await state["pool"].close()


def client_network(request: Request) -> str:
    """What per-client limits count, as the service counts it: the IPv4 address or IPv6 /64."""
    address = ipaddress.ip_address(request.client.host if request.client else "0.0.0.0")  # noqa: S104
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


async def count(limit: RateLimitItem, name: str, *identifiers: str) -> None:
    """One hit of a `limits` moving window in Redis, or a 429."""
    if not await state["limiter"].hit(limit, name, *identifiers):
        raise HTTPException(429)


async def start_session(
    connection: Any,
    user_id: uuid.UUID,
    family_id: uuid.UUID,
    now: datetime,
    request: Request,
) -> tuple[str, uuid.UUID]:
    """A new refresh token of the session `family_id`, stored; the token and its row's id."""
    token, row_id = secrets.token_urlsafe(32), uuid.uuid4()
    user_agent = request.headers.get("user-agent")
    await connection.execute(
        INSERT_SESSION_ROW,
        row_id,
        user_id,
        hashlib.sha256(token.encode()).hexdigest(),
        family_id,
        now + REFRESH_TTL,
        user_agent[:512] if user_agent else None,
        (request.client.host if request.client else "unknown")[:45],
        now,
    )
    return token, row_id


def token_pair(
    user_id: uuid.UUID, session_id: uuid.UUID, refresh_token: str, now: datetime
) -> dict[str, Any]:
    kid, key = next(iter(KEYS.items()))
    claims = {
        "iat": now.timestamp(),
        "jti": uuid.uuid4().hex,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(user_id),
        "sid": str(session_id),
        "type": "access",
        "nbf": int(now.timestamp()),
        "exp": now + ACCESS_TTL,
    }
    return {
        "access_token": jwt.encode(claims, key, algorithm="HS256", headers={"kid": kid}),
        "refresh_token": refresh_token,
        "token_type": "bearer",
        "expires_in": int(ACCESS_TTL.total_seconds()),
    }
