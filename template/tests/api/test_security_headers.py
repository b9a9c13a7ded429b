"""Headers that make a browser treat every answer as data, and the docs off in production."""

import httpx
import pytest
from fastapi import FastAPI

from app.core.config import Settings
from app.main import create_app
from tests.production import production_settings

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
DOCS = ["/docs", "/redoc", "/openapi.json", "/docs/assets/swagger-ui-bundle.js"]
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'"
)


def client_of(settings: Settings) -> httpx.AsyncClient:
    """A client of an app built with `settings`; these routes need no open resources."""
    transport = httpx.ASGITransport(app=create_app(settings), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.mark.parametrize("path", ["/live", "/api/v1/users/me", "/no-such-path"])
async def test_every_answer_is_data_a_browser_may_not_frame_or_sniff(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)

    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == API_POLICY
    assert "strict-transport-security" not in response.headers  # not without HTTPS


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_the_docs_pages_run_from_this_origin_only_and_may_not_be_framed(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)

    assert response.status_code == 200
    assert response.headers["content-security-policy"] == DOCS_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_hsts_is_sent_when_the_deployment_says_it_has_https(settings: Settings) -> None:
    secure = settings.model_copy(update={"hsts_max_age_seconds": 31536000})

    async with client_of(secure) as client:
        response = await client.get("/live")

    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("path", DOCS)
async def test_production_serves_no_docs_by_default(path: str) -> None:
    settings = production_settings()
    assert settings.api_docs_enabled is False

    async with client_of(settings) as client:
        response = await client.get(path)

    assert response.status_code == 404
    assert response.headers["content-security-policy"] == API_POLICY


@pytest.mark.parametrize("path", DOCS)
async def test_production_serves_the_docs_when_told_to(path: str) -> None:
    async with client_of(production_settings(api_docs_enabled=True)) as client:
        response = await client.get(path)

    assert response.status_code == 200


def test_the_docs_are_on_outside_production(app: FastAPI) -> None:
    assert app.openapi_url == "/openapi.json"
