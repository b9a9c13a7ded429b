"""The reference for `GET /users/me`: the same work as the service's authenticated read, with
the drivers alone. PyJWT checks the token as the service does (key by `kid`, HS256 only,
audience, issuer, type, expiry), one Redis MGET reads the revocation keys the service reads,
and one asyncpg `fetchrow` from an asyncpg pool loads the live user. Configured by the
benchmark through BENCH_* environment variables.
"""

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import jwt
from fastapi import FastAPI, HTTPException, Request
from redis.asyncio import Redis

KEYS = {os.environ["BENCH_JWT_KID"]: os.environ["BENCH_JWT_KEY"]}
AUDIENCE = os.environ["BENCH_JWT_AUDIENCE"]
ISSUER = os.environ["BENCH_JWT_ISSUER"]
PREFIX = os.environ["BENCH_REDIS_PREFIX"]
LEEWAY_SECONDS = 10  # as app/core/security.py
USER_BY_ID = """
    SELECT id, phone_number, phone_verified_at, username, email, email_verified_at,
           display_name, bio, avatar_url, date_of_birth, locale, timezone, is_admin,
           created_at, is_active, tokens_valid_after
    FROM users WHERE id = $1 AND deleted_at IS NULL
"""
state: dict[str, Any] = {}


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    size = int(os.environ["BENCH_POOL_SIZE"])
    state["pool"] = await asyncpg.create_pool(
        os.environ["BENCH_POSTGRES_DSN"], min_size=size, max_size=size
    )
    state["redis"] = Redis.from_url(os.environ["BENCH_REDIS_URL"])
    yield
    await state["redis"].aclose()
    await state["pool"].close()


app = FastAPI(lifespan=lifespan)


@app.get("/users/me")
async def read_me(request: Request) -> dict[str, Any]:
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    try:
        key = KEYS[jwt.get_unverified_header(token)["kid"]]
        claims = jwt.decode(
            token,
            key,
            algorithms=["HS256"],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "jti", "iss", "aud", "type"]},
        )
    except (jwt.InvalidTokenError, KeyError) as exc:
        raise HTTPException(401) from exc
    if claims["type"] != "access":
        raise HTTPException(401)
    user_id = uuid.UUID(claims["sub"])
    revoked, valid_after, revoked_jti = await state["redis"].mget(
        f"{PREFIX}revoked-session:{claims['sid']}",
        f"{PREFIX}tokens-valid-after:{user_id}",
        f"{PREFIX}revoked-jti:{claims['jti']}",
    )
    if revoked or revoked_jti or (valid_after and claims["iat"] < float(valid_after)):
        raise HTTPException(401)
    row = await state["pool"].fetchrow(USER_BY_ID, user_id)
    valid_after_row = row["tokens_valid_after"] if row else None
    if (
        row is None
        or not row["is_active"]
        or (valid_after_row and claims["iat"] < valid_after_row.timestamp())
    ):
        raise HTTPException(401)
    account = dict(row)
    del account["is_active"], account["tokens_valid_after"]
    return account
