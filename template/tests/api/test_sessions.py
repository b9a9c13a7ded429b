"""Refresh-token rotation, reuse detection, logout and logout-all, through the HTTP API."""

import httpx
import pytest
from fastapi import FastAPI

from app.core.config import Settings
from app.crud.uow import UnitOfWork
from app.models import RefreshToken, RevocationReason, User
from app.schemas.sessions import TokenPairPublic
from app.services.sessions import hash_refresh_token
from tests.sessions import bearer, sign_in

ME = "/api/v1/users/me"
REFRESH = "/api/v1/auth/refresh"


@pytest.fixture
async def pair(app: FastAPI, uow: UnitOfWork, user: User) -> TokenPairPublic:
    return await sign_in(app, uow, user)


async def refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await client.post(REFRESH, json={"refresh_token": refresh_token})


async def stored(uow: UnitOfWork, refresh_token: str) -> RefreshToken:
    row = await uow.refresh_tokens.get_by_hash(hash_refresh_token(refresh_token))
    assert row is not None
    await uow.session.refresh(row)
    return row


async def test_refresh_returns_a_new_pair_for_the_same_session(
    client: httpx.AsyncClient, pair: TokenPairPublic, uow: UnitOfWork, settings: Settings
) -> None:
    response = await refresh(client, pair.refresh_token)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.access_token_ttl_seconds  # teams change it
    assert body["refresh_token"] != pair.refresh_token
    old, new = await stored(uow, pair.refresh_token), await stored(uow, body["refresh_token"])
    assert old.revoked_reason == RevocationReason.ROTATED
    assert old.replaced_by_id == new.id
    assert new.family_id == old.family_id
    assert new.revoked_at is None
    assert (await client.get(ME, headers=bearer(body["access_token"]))).status_code == 200


async def test_a_rotated_refresh_token_presented_again_revokes_the_whole_family(
    client: httpx.AsyncClient, pair: TokenPairPublic, uow: UnitOfWork
) -> None:
    successor = (await refresh(client, pair.refresh_token)).json()["refresh_token"]

    replay = await refresh(client, pair.refresh_token)

    assert replay.status_code == 401
    assert replay.headers["www-authenticate"] == "Bearer"
    assert replay.json()["type"] == "urn:problem-type:invalid-refresh-token"
    assert (await stored(uow, successor)).revoked_reason == RevocationReason.REUSE_DETECTED
    assert (await refresh(client, successor)).status_code == 401


async def test_reuse_detection_refuses_the_access_tokens_the_family_was_given(
    client: httpx.AsyncClient, pair: TokenPairPublic
) -> None:
    rotated = (await refresh(client, pair.refresh_token)).json()

    assert (await refresh(client, pair.refresh_token)).status_code == 401

    for access_token in (pair.access_token, rotated["access_token"]):
        assert (await client.get(ME, headers=bearer(access_token))).status_code == 401


@pytest.mark.parametrize("token", ["unknown-token", "x" * 256])
async def test_an_unknown_refresh_token_is_refused(client: httpx.AsyncClient, token: str) -> None:
    response = await refresh(client, token)

    assert response.status_code == 401
    assert response.json()["type"] == "urn:problem-type:invalid-refresh-token"


async def test_an_access_token_is_not_a_refresh_token(
    client: httpx.AsyncClient, pair: TokenPairPublic
) -> None:
    assert (await refresh(client, pair.access_token)).status_code == 401


async def test_logout_ends_this_session_only(
    app: FastAPI, client: httpx.AsyncClient, pair: TokenPairPublic, user: User, uow: UnitOfWork
) -> None:
    other = await sign_in(app, uow, user)

    response = await client.post("/api/v1/auth/logout", headers=bearer(pair.access_token))

    assert response.status_code == 204
    assert (await client.get(ME, headers=bearer(pair.access_token))).status_code == 401
    assert (await refresh(client, pair.refresh_token)).status_code == 401
    assert (await stored(uow, pair.refresh_token)).revoked_reason == RevocationReason.LOGOUT
    assert (await client.get(ME, headers=bearer(other.access_token))).status_code == 200
    assert (await refresh(client, other.refresh_token)).status_code == 200


async def test_logout_refuses_access_tokens_issued_before_a_refresh_of_the_session(
    app: FastAPI, client: httpx.AsyncClient, pair: TokenPairPublic, user: User, uow: UnitOfWork
) -> None:
    other = await sign_in(app, uow, user)
    rotated = (await refresh(client, pair.refresh_token)).json()
    assert (await client.get(ME, headers=bearer(pair.access_token))).status_code == 200

    response = await client.post("/api/v1/auth/logout", headers=bearer(rotated["access_token"]))

    assert response.status_code == 204
    for access_token in (pair.access_token, rotated["access_token"]):
        assert (await client.get(ME, headers=bearer(access_token))).status_code == 401
    assert (await client.get(ME, headers=bearer(other.access_token))).status_code == 200


async def test_logout_all_ends_every_session_at_once(
    app: FastAPI, client: httpx.AsyncClient, pair: TokenPairPublic, user: User, uow: UnitOfWork
) -> None:
    other = await sign_in(app, uow, user)

    response = await client.post("/api/v1/auth/logout-all", headers=bearer(other.access_token))

    assert response.status_code == 204
    for session in (pair, other):
        assert (await client.get(ME, headers=bearer(session.access_token))).status_code == 401
        assert (await refresh(client, session.refresh_token)).status_code == 401
    await uow.session.refresh(user)
    assert user.tokens_valid_after is not None
    fresh = await sign_in(app, uow, user)
    assert (await client.get(ME, headers=bearer(fresh.access_token))).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/auth/logout", "/api/v1/auth/logout-all"])
async def test_logging_out_needs_an_access_token(client: httpx.AsyncClient, path: str) -> None:
    response = await client.post(path)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("change", ["deactivated", "deleted"])
async def test_a_deactivated_or_deleted_account_cannot_refresh(
    client: httpx.AsyncClient, pair: TokenPairPublic, user: User, uow: UnitOfWork, change: str
) -> None:
    # Changed on the row alone: its refresh tokens stay live, so the owner's state decides.
    if change == "deactivated":
        user.is_active = False
    else:
        user.soft_delete()
    await uow.session.commit()

    assert (await refresh(client, pair.refresh_token)).status_code == 401
