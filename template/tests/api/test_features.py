import httpx
import pytest
from fastapi import Depends, FastAPI

from app.api.deps import require_feature
from app.core.config import Settings
from app.core.flags import Flag
from app.main import create_app


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"feature_flags": {"registration": False}})


@pytest.fixture
def built_app(settings: Settings) -> FastAPI:
    """An app of its own plus a route behind the registration flag."""
    app = create_app(settings)

    @app.get("/_test/guarded", dependencies=[Depends(require_feature(Flag.REGISTRATION))])
    async def guarded() -> dict[str, str]:
        return {"status": "reached"}

    return app


async def test_features_lists_every_flag_with_its_state(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/features")

    assert response.status_code == 200
    [registration] = [item for item in response.json() if item["name"] == "registration"]
    assert registration["enabled"] is False
    assert registration["description"]


async def test_one_feature_by_name(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/features/registration")

    assert response.json()["enabled"] is False


async def test_unknown_feature_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/features/teleportation")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_an_endpoint_behind_a_disabled_flag_is_hidden(client: httpx.AsyncClient) -> None:
    response = await client.get("/_test/guarded")

    assert response.status_code == 404


async def test_registration_is_closed_while_its_flag_is_off(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register", json={"phone_number": "+14155550100", "username": "closed"}
    )

    assert response.status_code == 404
