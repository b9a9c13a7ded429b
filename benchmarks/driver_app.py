"""The references for the signed-in user's paths: the same work as the service, with the
drivers alone. PyJWT checks the token as the service does (key by `kid`, HS256 only,
audience, issuer, type, expiry) and one Redis MGET reads the revocation keys the service
reads; then, from an asyncpg pool:
- `GET /users/me`: one `fetchrow` loads the live user;
- `GET /users/me/settings`: that, then one `fetchrow` of the user's settings;
- `PATCH /users/me`: the body checked as the service checks it, then one `UPDATE ...
  RETURNING` of the live user that sets the fields and `updated_at`;
- `GET /features`: the live user, then every flag's state for them from the overrides,
  read at most once per ten seconds (the service's default cache TTL) and each user placed
  in a rollout by the same hash.
And `POST /auth/refresh`, the rotation: the per-address rate limit counted in Redis by the
same `limits` moving window, then in one transaction the presented token found by its
SHA-256, refused when unknown, expired or revoked (a rotated one revokes its family and the
family's access tokens: reuse detection), the owner checked live and active, the token
retired by a conditional UPDATE, its successor inserted and linked; then a new access token
signed as the service signs it. The code flows are `driver_codes.py`'s; what they share,
`driver_shared.py`'s.
"""

import hashlib
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import jwt
from driver_codes import router as code_flows
from driver_shared import (
    ACCESS_TTL,
    AUDIENCE,
    AUTH_LIMIT,
    ISSUER,
    KEYS,
    PREFIX,
    client_network,
    count,
    lifespan,
    start_session,
    state,
    token_pair,
)
from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

LEEWAY_SECONDS = 10  # as app/core/security.py
USER_BY_ID = """
    SELECT id, phone_number, phone_verified_at, username, email, email_verified_at,
           display_name, bio, avatar_url, date_of_birth, locale, timezone, is_admin,
           created_at, is_active, tokens_valid_after
    FROM users WHERE id = $1 AND deleted_at IS NULL
"""
SETTINGS_OF_USER = """
    SELECT notify_sms, notify_email, notify_push, profile_visibility, show_phone, show_email,
           discoverable_by_phone, language, theme
    FROM user_settings WHERE user_id = $1
"""
# The live user only, and only for a token issued after its sessions were last ended.
RENAME_USER = """
    UPDATE users SET display_name = $2, updated_at = now()
    WHERE id = $1 AND deleted_at IS NULL AND is_active
      AND (tokens_valid_after IS NULL OR extract(epoch FROM tokens_valid_after) <= $3)
    RETURNING id, phone_number, phone_verified_at, username, email, email_verified_at,
              display_name, bio, avatar_url, date_of_birth, locale, timezone, is_admin,
              created_at
"""
STORED_BY_HASH = """
    SELECT id, user_id, family_id, expires_at, revoked_at, revoked_reason
    FROM refresh_tokens WHERE token_hash = $1 AND deleted_at IS NULL
"""
ACTIVE_USER = "SELECT is_active FROM users WHERE id = $1 AND deleted_at IS NULL"
RETIRE_IF_LIVE = """
    UPDATE refresh_tokens
    SET revoked_at = $2, revoked_reason = 'rotated', last_used_at = $2, updated_at = $2
    WHERE id = $1 AND revoked_at IS NULL AND deleted_at IS NULL RETURNING id
"""
REVOKE_FAMILY = """
    UPDATE refresh_tokens SET revoked_at = $2, revoked_reason = 'reuse_detected', updated_at = $2
    WHERE family_id = $1 AND revoked_at IS NULL AND deleted_at IS NULL
"""
LINK_SUCCESSOR = "UPDATE refresh_tokens SET replaced_by_id = $2, updated_at = $3 WHERE id = $1"
OVERRIDES = """
    SELECT name, enabled, rollout_percent, allowed_user_ids
    FROM feature_flag_overrides WHERE deleted_at IS NULL
"""
# The service's flags (app/core/flags.py): name -> (description, configured state).
FLAGS = {
    "registration": (
        "New accounts can sign up; off closes registration (existing users sign in)",
        True,
    ),
}
OVERRIDES_TTL_SECONDS = 10.0

app = FastAPI(lifespan=lifespan)
app.include_router(code_flows)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=1024, pattern=r"^[^\x00-\x1f\x7f]*$")


class ProfileChange(BaseModel):
    """The service's `UserUpdate`, for the one field the benchmark sends."""

    model_config = ConfigDict(extra="forbid")

    display_name: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$")


async def access_claims(request: Request) -> dict[str, Any]:
    """The access token's claims, once its signature, expiry and revocation are checked."""
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    try:
        key = KEYS[jwt.get_unverified_header(token)["kid"]]
        claims: dict[str, Any] = jwt.decode(
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
    revoked, valid_after, revoked_jti = await state["redis"].mget(
        f"{PREFIX}revoked-session:{claims['sid']}",
        f"{PREFIX}tokens-valid-after:{claims['sub']}",
        f"{PREFIX}revoked-jti:{claims['jti']}",
    )
    if revoked or revoked_jti or (valid_after and claims["iat"] < float(valid_after)):
        raise HTTPException(401)
    return claims


async def live_account(request: Request) -> dict[str, Any]:
    """The signed-in user's public fields, if the account is live and the token still valid."""
    claims = await access_claims(request)
    row = await state["pool"].fetchrow(USER_BY_ID, uuid.UUID(claims["sub"]))
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


@app.get("/users/me")
async def read_me(request: Request) -> dict[str, Any]:
    return await live_account(request)


@app.get("/users/me/settings")
async def read_my_settings(request: Request) -> dict[str, Any]:
    account = await live_account(request)
    return dict(await state["pool"].fetchrow(SETTINGS_OF_USER, account["id"]))


@app.patch("/users/me")
async def update_me(change: ProfileChange, request: Request) -> dict[str, Any]:
    claims = await access_claims(request)
    user_id = uuid.UUID(claims["sub"])
    row = await state["pool"].fetchrow(RENAME_USER, user_id, change.display_name, claims["iat"])
    if row is None:
        raise HTTPException(401)
    return dict(row)


async def flag_overrides() -> dict[str, Any]:
    if time.monotonic() >= state["overrides_until"]:
        rows = await state["pool"].fetch(OVERRIDES)
        state["overrides"] = {row["name"]: row for row in rows}
        state["overrides_until"] = time.monotonic() + OVERRIDES_TTL_SECONDS
    overrides: dict[str, Any] = state["overrides"]
    return overrides


def flag_state(name: str, configured: bool, override: Any, user_id: uuid.UUID) -> bool:
    if override is None:
        return configured
    if str(user_id) in json.loads(override["allowed_user_ids"]):
        return True
    if override["rollout_percent"] is not None:
        digest = hashlib.sha256(f"{name}:{user_id}".encode()).digest()
        return int.from_bytes(digest[:8], "big") % 100 < override["rollout_percent"]
    return bool(override["enabled"])


@app.get("/features")
async def read_features(request: Request) -> list[dict[str, Any]]:
    account = await live_account(request)
    overrides = await flag_overrides()
    return [
        {
            "name": name,
            "enabled": flag_state(name, configured, overrides.get(name), account["id"]),
            "description": description,
        }
        for name, (description, configured) in FLAGS.items()
    ]


@app.post("/auth/refresh")
async def refresh(body: RefreshRequest, request: Request) -> dict[str, Any]:
    await count(AUTH_LIMIT, "auth-ip", client_network(request))
    now = datetime.now(UTC)
    async with state["pool"].acquire() as connection:
        async with connection.transaction():
            rotated = await rotate(connection, body.refresh_token, now, request)
        if not isinstance(rotated, dict):
            if rotated is not None:  # a retired token presented again: the family is stolen
                await connection.execute(REVOKE_FAMILY, rotated, now)
                await state["redis"].set(
                    f"{PREFIX}revoked-session:{rotated}", b"1", ex=int(ACCESS_TTL.total_seconds())
                )
            raise HTTPException(401)
    return rotated


async def rotate(
    connection: Any, token: str, now: datetime, request: Request
) -> dict[str, Any] | uuid.UUID | None:
    """The new pair; or, refused, the family to revoke as stolen (None: refuse only)."""
    stored = await connection.fetchrow(STORED_BY_HASH, hashlib.sha256(token.encode()).hexdigest())
    if stored is None:
        return None
    if stored["revoked_at"] is not None:
        return stored["family_id"] if stored["revoked_reason"] == "rotated" else None
    if stored["expires_at"] <= now or not await connection.fetchval(ACTIVE_USER, stored["user_id"]):
        return None
    if await connection.fetchval(RETIRE_IF_LIVE, stored["id"], now) is None:
        return stored["family_id"]  # a parallel request rotated it a moment ago
    user_id, family_id = stored["user_id"], stored["family_id"]
    successor_token, successor = await start_session(connection, user_id, family_id, now, request)
    await connection.execute(LINK_SUCCESSOR, stored["id"], successor, now)
    return token_pair(user_id, family_id, successor_token, now)
