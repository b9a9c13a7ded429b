"""The optional-account and admin dependencies, and the per-IP limit on every /auth endpoint."""

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import Depends, FastAPI
from pydantic import SecretStr

from app.api.auth import OptionalAccount, get_current_admin
from app.core.config import Settings
from app.crud.uow import UnitOfWork
from app.db.session import SessionFactory
from app.main import create_app
from tests.apps import started_in_transaction
from tests.sessions import bearer, create_user, sign_in


@pytest.fixture
def probe_app(app: FastAPI) -> FastAPI:
    @app.get("/probe/optional")
    async def read_optional(account: OptionalAccount) -> dict[str, str | None]:
        return {"user": None if account is None else str(account.id)}

    @app.get("/probe/admin", dependencies=[Depends(get_current_admin)])
    async def read_admin() -> dict[str, str]:
        return {"admin": "yes"}

    return app


async def test_an_anonymous_request_has_no_optional_user(
    probe_app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await client.get("/probe/optional")

    assert response.json() == {"user": None}


async def test_a_signed_in_request_has_its_optional_user(
    probe_app: FastAPI, client: httpx.AsyncClient, uow: UnitOfWork
) -> None:
    user = await create_user(uow)
    pair = await sign_in(probe_app, uow, user)

    response = await client.get("/probe/optional", headers=bearer(pair.access_token))

    assert response.json() == {"user": str(user.id)}


async def test_a_bad_token_is_refused_even_where_a_user_is_optional(
    probe_app: FastAPI, client: httpx.AsyncClient
) -> None:
    response = await client.get("/probe/optional", headers=bearer("not-a-jwt"))

    assert response.status_code == 401


@pytest.mark.parametrize(("is_admin", "status"), [(False, 403), (True, 200)])
async def test_the_admin_dependency(
    probe_app: FastAPI, client: httpx.AsyncClient, uow: UnitOfWork, is_admin: bool, status: int
) -> None:
    user = await create_user(uow, is_admin=is_admin)
    pair = await sign_in(probe_app, uow, user)

    response = await client.get("/probe/admin", headers=bearer(pair.access_token))

    assert response.status_code == status


@pytest.fixture
async def limited_client(
    settings: Settings, session_factory: SessionFactory
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"auth_rate_limit_per_ip": "5/minute"}))
    async with started_in_transaction(app, session_factory):
        transport = httpx.ASGITransport(app=app, client=("198.51.100.4", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


async def test_the_sixth_auth_request_from_one_ip_is_429_with_retry_after(
    limited_client: httpx.AsyncClient,
) -> None:
    for _ in range(5):
        assert (await limited_client.post("/api/v1/auth/logout")).status_code == 401

    response = await limited_client.post("/api/v1/auth/refresh", json={"refresh_token": "x"})

    assert response.status_code == 429
    assert response.headers["content-type"] == "application/problem+json"
    assert 0 < int(response.headers["retry-after"]) <= 60
    assert (await limited_client.get("/api/v1/users/me")).status_code == 401  # not under /auth


@pytest.mark.parametrize(
    ("first", "second", "shared"),
    [
        ("2001:db8:1:2::a", "2001:db8:1:2:ffff::b", True),  # one /64: one client
        ("2001:db8:1:2::a", "2001:db8:1:3::a", False),
        ("198.51.100.4", "198.51.100.5", False),  # IPv4: per address
    ],
    ids=["ipv6-same-64", "ipv6-other-64", "ipv4-other-address"],
)
async def test_the_auth_limit_counts_an_ipv6_client_per_64(
    settings: Settings, session_factory: SessionFactory, first: str, second: str, shared: bool
) -> None:
    app = create_app(settings.model_copy(update={"auth_rate_limit_per_ip": "3/minute"}))
    async with started_in_transaction(app, session_factory):
        for _ in range(3):
            async with client_at(app, first) as client:
                assert (await client.post("/api/v1/auth/logout")).status_code == 401
        async with client_at(app, second) as client:
            response = await client.post("/api/v1/auth/logout")

    assert response.status_code == (429 if shared else 401)


def client_at(app: FastAPI, host: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(host, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_parallel_auth_requests_cannot_exceed_the_ip_limit(
    limited_client: httpx.AsyncClient,
) -> None:
    responses = await asyncio.gather(
        *(limited_client.post("/api/v1/auth/logout") for _ in range(20))
    )

    statuses = [response.status_code for response in responses]
    assert (statuses.count(401), statuses.count(429)) == (5, 15)


async def test_without_redis_authenticated_and_auth_requests_are_503_fast(
    settings: Settings, session_factory: SessionFactory, uow: UnitOfWork
) -> None:
    unreachable = SecretStr("redis://127.0.0.1:1/0")
    app = create_app(settings.model_copy(update={"redis_url": unreachable}))
    async with started_in_transaction(app, session_factory):
        pair = await sign_in(app, uow, await create_user(uow))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            started = time.perf_counter()
            me = await client.get("/api/v1/users/me", headers=bearer(pair.access_token))
            refresh = await client.post(
                "/api/v1/auth/refresh", json={"refresh_token": pair.refresh_token}
            )
            elapsed = time.perf_counter() - started

    assert (me.status_code, refresh.status_code) == (503, 503)
    assert me.json()["service"] == "redis"
    # A refused connection answers at once: neither request waited for Redis' timeout.
    assert elapsed < settings.redis_timeout_seconds
