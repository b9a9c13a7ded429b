import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from app.core.config import Settings
from app.main import create_app
from tests.database import PRIMARY_BACKEND, unreachable_database_url


@pytest.fixture
async def client_without_database(
    settings: Settings, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    url = unreachable_database_url(PRIMARY_BACKEND, tmp_path)
    app = create_app(settings.model_copy(update={"database_url": SecretStr(url)}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


async def test_ready_when_the_database_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


async def test_not_ready_without_a_database(client_without_database: httpx.AsyncClient) -> None:
    started = time.perf_counter()
    response = await client_without_database.get("/ready")
    elapsed = time.perf_counter() - started

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:problem-type:not-ready"
    assert response.json()["checks"] == {"database": "unavailable"}
    assert elapsed < 1.5


async def test_live_stays_up_without_a_database(
    client_without_database: httpx.AsyncClient,
) -> None:
    response = await client_without_database.get("/live")

    assert response.status_code == 200
