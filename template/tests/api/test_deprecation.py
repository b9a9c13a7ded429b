"""A deprecated operation says so in the schema and in the headers of its answers."""

from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from app.api.deprecation import deprecated, deprecation_headers
from app.core.config import Settings
from app.main import create_app

OLD = "/api/v1/test-only/old-greeting"
NEW = "/api/v2/test-only/greeting"


@pytest.fixture(scope="module")
def app_with_deprecated_route(session_settings: Settings) -> FastAPI:
    app = create_app(session_settings)

    @app.get(
        OLD,
        summary="Old greeting",
        tags=["system"],
        **deprecated(since=date(2027, 1, 31), sunset=date(2027, 7, 31), successor=NEW),
    )
    async def old_greeting() -> dict[str, str]:
        """A route only this test has."""
        return {"greeting": "hello"}

    @app.get("/api/v1/test-only/no-sunset", tags=["system"], **deprecated(since=date(2027, 1, 31)))
    async def no_sunset() -> dict[str, str]:
        """Deprecated, with no removal date yet."""
        return {}

    return app


async def test_answers_carry_deprecation_sunset_and_successor(
    app_with_deprecated_route: FastAPI,
) -> None:
    transport = httpx.ASGITransport(app=app_with_deprecated_route)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get(OLD)
        without_sunset = await client.get("/api/v1/test-only/no-sunset")

    assert response.status_code == 200
    assert response.json() == {"greeting": "hello"}
    assert response.headers["Deprecation"] == "@1801353600"  # 2027-01-31T00:00:00Z
    assert response.headers["Sunset"] == "Sat, 31 Jul 2027 00:00:00 GMT"
    assert response.headers["Link"] == f'<{NEW}>; rel="successor-version"'
    assert without_sunset.headers["Deprecation"] == "@1801353600"
    assert "Sunset" not in without_sunset.headers
    assert "Link" not in without_sunset.headers


def test_the_schema_marks_only_the_deprecated_operations(
    app_with_deprecated_route: FastAPI,
) -> None:
    paths = app_with_deprecated_route.openapi()["paths"]

    assert paths[OLD]["get"]["deprecated"] is True
    assert [
        f"{method.upper()} {path}"
        for path, item in paths.items()
        for method, operation in item.items()
        if operation.get("deprecated")
    ] == [f"GET {OLD}", "GET /api/v1/test-only/no-sunset"]


def test_a_sunset_before_the_deprecation_is_refused() -> None:
    with pytest.raises(ValueError, match="sunset"):
        deprecation_headers(since=date(2027, 7, 31), sunset=date(2027, 1, 31))
