import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from alembic import command
from pydantic import SecretStr

from app.core.config import Settings
from app.main import create_app
from tests.database import (
    PRIMARY_BACKEND,
    run_alembic,
    throwaway_database,
    unreachable_database_url,
    upgrade_to_head,
)


@asynccontextmanager
async def client_for(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@pytest.fixture
async def client_without_database(
    settings: Settings, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    url = unreachable_database_url(PRIMARY_BACKEND, tmp_path)
    async with client_for(settings.model_copy(update={"database_url": SecretStr(url)})) as client:
        yield client


async def test_ready_when_the_database_and_redis_answer(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


async def test_without_redis_configured_only_the_database_is_checked(settings: Settings) -> None:
    async with client_for(settings.model_copy(update={"redis_url": None})) as client:
        response = await client.get("/ready")

    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


async def test_not_ready_when_redis_does_not_answer(settings: Settings) -> None:
    unreachable = SecretStr("redis://127.0.0.1:1/0")
    async with client_for(settings.model_copy(update={"redis_url": unreachable})) as client:
        response = await client.get("/ready")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "unavailable"}
    assert response.json()["detail"] == "Did not answer: redis"


async def test_not_ready_without_a_database(client_without_database: httpx.AsyncClient) -> None:
    started = time.perf_counter()
    response = await client_without_database.get("/ready")
    elapsed = time.perf_counter() - started

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:problem-type:not-ready"
    assert response.json()["checks"] == {"database": "unavailable", "redis": "ok"}
    assert elapsed < 1.5


async def test_not_ready_while_migrations_are_pending(settings: Settings, tmp_path: Path) -> None:
    async with throwaway_database(PRIMARY_BACKEND, tmp_path) as url:
        database = settings.model_copy(update={"database_url": SecretStr(url)})
        async with client_for(database) as client:
            never_migrated = await client.get("/ready")
        await run_alembic(url, database, lambda config: command.upgrade(config, "0001"))
        async with client_for(database) as client:
            behind = await client.get("/ready")
        await run_alembic(url, database, upgrade_to_head)
        async with client_for(database) as client:
            current = await client.get("/ready")

    for response in (never_migrated, behind):
        assert response.status_code == 503
        assert response.headers["Retry-After"]
        assert response.json()["checks"]["database"] == "migrations pending"
        assert response.json()["detail"] == (
            "Database migrations pending (run `alembic upgrade head`)"
        )
    assert current.status_code == 200


async def test_live_stays_up_without_a_database(
    client_without_database: httpx.AsyncClient,
) -> None:
    response = await client_without_database.get("/live")

    assert response.status_code == 200
