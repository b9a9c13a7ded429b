"""Every authenticated request checks its access token: each broken token below is a 401."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from app.core.config import Settings
from app.core.security import ALGORITHM
from app.crud.uow import UnitOfWork
from app.db.session import SessionFactory
from app.db.types import utcnow
from app.main import create_app
from app.models import User
from tests.apps import started_in_transaction
from tests.sessions import bearer, create_user, session_service, sign_in

ME = "/api/v1/users/me"
# Both callers: the read model of every read endpoint (`CurrentAccount`, on GET) and the ORM
# user of the handlers that change the user (`CurrentUser`, on a PATCH that changes nothing).
BOTH_CALLERS = pytest.mark.parametrize("method", ["GET", "PATCH"], ids=["account", "orm-user"])
OTHER_KEY = "another-signing-key-of-at-least-32-bytes"


@pytest.fixture
async def access_token(app: FastAPI, uow: UnitOfWork, user: User) -> str:
    return (await sign_in(app, uow, user)).access_token


async def call_me(client: httpx.AsyncClient, method: str, token: str) -> httpx.Response:
    body: dict[str, str] | None = {} if method == "PATCH" else None
    return await client.request(method, ME, headers=bearer(token), json=body)


def claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def resign(claims: dict[str, Any], settings: Settings, **headers: Any) -> str:
    kid, key = next(iter(settings.jwt_signing_keys.items()))
    return jwt.encode(
        claims, key.get_secret_value(), algorithm=ALGORITHM, headers={"kid": kid, **headers}
    )


def assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_valid_token_is_accepted(
    client: httpx.AsyncClient, access_token: str, user: User
) -> None:
    response = await client.get(ME, headers=bearer(access_token))

    assert response.status_code == 200
    assert response.json()["id"] == str(user.id)


def _expired(claims: dict[str, Any], _: Settings) -> dict[str, Any]:
    past = datetime.now(UTC) - timedelta(minutes=5)
    return {**claims, "exp": past, "iat": past - timedelta(minutes=30)}


def _other(claim: str, value: Any) -> Callable[[dict[str, Any], Settings], dict[str, Any]]:
    return lambda claims, _: {**claims, claim: value}


def _without(claim: str) -> Callable[[dict[str, Any], Settings], dict[str, Any]]:
    return lambda claims, _: {key: value for key, value in claims.items() if key != claim}


@pytest.mark.parametrize(
    "tamper",
    [
        _expired,
        _other("aud", "another-service"),
        _other("iss", "another-issuer"),
        _other("type", "refresh"),
        _other("sub", "not-a-user-id"),
        _other("nbf", int((datetime.now(UTC) + timedelta(hours=1)).timestamp())),
        _without("sid"),
        _without("jti"),
        _without("exp"),
        _without("iat"),
    ],
    ids=[
        "expired",
        "wrong-audience",
        "wrong-issuer",
        "wrong-type",
        "malformed-subject",
        "not-yet-valid",
        "missing-sid",
        "missing-jti",
        "missing-exp",
        "missing-iat",
    ],
)
async def test_a_token_with_bad_claims_is_refused(
    client: httpx.AsyncClient,
    settings: Settings,
    access_token: str,
    tamper: Callable[[dict[str, Any], Settings], dict[str, Any]],
) -> None:
    token = resign(tamper(claims_of(access_token), settings), settings)

    assert_refused(await client.get(ME, headers=bearer(token)))


async def test_a_token_signed_under_an_unknown_key_id_is_refused(
    client: httpx.AsyncClient, settings: Settings, access_token: str
) -> None:
    token = jwt.encode(
        claims_of(access_token), OTHER_KEY, algorithm=ALGORITHM, headers={"kid": "x"}
    )

    assert_refused(await client.get(ME, headers=bearer(token)))


async def test_a_tampered_signature_is_refused(
    client: httpx.AsyncClient, access_token: str
) -> None:
    header, payload, signature = access_token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]

    assert_refused(await client.get(ME, headers=bearer(f"{header}.{payload}.{flipped}")))


async def test_a_tampered_payload_is_refused(
    client: httpx.AsyncClient, settings: Settings, access_token: str, uow: UnitOfWork
) -> None:
    other = await create_user(uow)
    forged = resign({**claims_of(access_token), "sub": str(other.id)}, settings)
    header, _, signature = access_token.split(".")
    spliced = f"{header}.{forged.split('.')[1]}.{signature}"

    assert_refused(await client.get(ME, headers=bearer(spliced)))


async def test_an_unsigned_alg_none_token_is_refused(
    client: httpx.AsyncClient, access_token: str, settings: Settings
) -> None:
    kid = next(iter(settings.jwt_signing_keys))
    unsigned = jwt.encode(claims_of(access_token), "", algorithm="none", headers={"kid": kid})

    assert_refused(await client.get(ME, headers=bearer(unsigned)))


@pytest.mark.parametrize(
    "authorization", [None, "Bearer", "Bearer not-a-jwt", "Basic dXNlcjpwYXNz"]
)
async def test_a_missing_or_malformed_authorization_is_refused(
    client: httpx.AsyncClient, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}

    assert_refused(await client.get(ME, headers=headers))


@BOTH_CALLERS
async def test_a_token_of_a_revoked_session_is_refused(
    app: FastAPI, client: httpx.AsyncClient, access_token: str, method: str
) -> None:
    session_id = uuid.UUID(claims_of(access_token)["sid"])

    await app.state.resources.token_state.revoke_session(session_id)

    assert_refused(await call_me(client, method, access_token))


async def test_a_token_issued_before_tokens_valid_after_is_refused(
    app: FastAPI, client: httpx.AsyncClient, access_token: str, user: User
) -> None:
    await app.state.resources.token_state.set_tokens_valid_after(user.id, utcnow())

    assert_refused(await client.get(ME, headers=bearer(access_token)))


@BOTH_CALLERS
async def test_tokens_valid_after_on_the_account_is_enforced_without_redis(
    client: httpx.AsyncClient, access_token: str, user: User, uow: UnitOfWork, method: str
) -> None:
    # As after a Redis loss: the account row alone still refuses the token.
    user.tokens_valid_after = utcnow()
    await uow.session.commit()

    assert_refused(await call_me(client, method, access_token))


async def test_a_token_issued_just_after_tokens_valid_after_is_accepted(
    app: FastAPI, client: httpx.AsyncClient, uow: UnitOfWork, user: User
) -> None:
    await session_service(app, uow).logout_all(user.id)
    await uow.session.commit()

    fresh = await sign_in(app, uow, user)

    assert (await client.get(ME, headers=bearer(fresh.access_token))).status_code == 200


@BOTH_CALLERS
@pytest.mark.parametrize("change", ["deactivated", "deleted"])
async def test_an_inactive_or_deleted_account_cannot_authenticate(
    client: httpx.AsyncClient,
    access_token: str,
    user: User,
    uow: UnitOfWork,
    change: str,
    method: str,
) -> None:
    if change == "deactivated":
        user.is_active = False
    else:
        user.soft_delete()
    await uow.session.commit()

    assert_refused(await call_me(client, method, access_token))


async def test_rotating_keys_keeps_tokens_of_the_old_key_valid_until_they_expire(
    settings: Settings,
    session_factory: SessionFactory,
    access_token: str,
    user: User,
    uow: UnitOfWork,
) -> None:
    rotated = settings.model_copy(
        update={"jwt_signing_keys": {"new": SecretStr(OTHER_KEY), **settings.jwt_signing_keys}}
    )
    app = create_app(rotated)
    async with started_in_transaction(app, session_factory):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            new_pair = await sign_in(app, uow, user)
            old_response = await client.get(ME, headers=bearer(access_token))
            new_response = await client.get(ME, headers=bearer(new_pair.access_token))

    assert jwt.get_unverified_header(new_pair.access_token)["kid"] == "new"
    assert old_response.status_code == new_response.status_code == 200
