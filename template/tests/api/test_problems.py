"""Errors come back as RFC 9457 problem+json, whatever raised them."""

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from app.core import errors
from app.core.app_settings import store_settings
from app.core.config import Settings
from app.main import create_app

PROBLEM = "application/problem+json"


class Payload(BaseModel):
    count: int


@pytest.fixture(scope="module")
def built_app(session_settings: Settings) -> FastAPI:
    """An app of this module's own plus routes that fail in each way a real endpoint can."""
    app = create_app(session_settings)

    @app.get("/_test/raise/{kind}")
    async def raise_error(kind: str) -> None:
        match kind:
            case "not-found":
                raise errors.NotFoundError("No such user")
            case "conflict":
                raise errors.ConflictError("Username taken")
            case "validation":
                raise errors.ValidationFailedError("Bad phone")
            case "auth":
                raise errors.AuthenticationError()
            case "permission":
                raise errors.PermissionDeniedError()
            case "rate":
                raise errors.RateLimitedError(retry_after_seconds=42)
            case "external":
                raise errors.ExternalServiceError("twilio")
            case "http-503":
                raise HTTPException(503, "Down for maintenance")
            case _:
                raise RuntimeError("secret internal detail")

    @app.post("/_test/payload")
    async def accept_payload(payload: Payload) -> Payload:
        return payload

    return app


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("not-found", 404, "not-found"),
        ("conflict", 409, "conflict"),
        ("validation", 422, "validation-failed"),
        ("auth", 401, "not-authenticated"),
        ("permission", 403, "permission-denied"),
        ("rate", 429, "rate-limited"),
        ("external", 503, "service-unavailable"),
    ],
)
async def test_domain_errors_map_to_problems(
    client: httpx.AsyncClient, kind: str, status: int, code: str
) -> None:
    response = await client.get(f"/_test/raise/{kind}")

    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"urn:problem-type:{code}"
    assert body["status"] == status
    assert body["instance"] == f"/_test/raise/{kind}"
    assert body["request_id"] == response.headers["X-Request-ID"]


async def test_authentication_problem_asks_for_a_bearer_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/_test/raise/auth")

    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_rate_limit_problem_says_when_to_retry(client: httpx.AsyncClient) -> None:
    response = await client.get("/_test/raise/rate")

    assert response.headers["Retry-After"] == "42"
    assert response.json()["retry_after"] == 42


@pytest.mark.parametrize("kind", ["external", "http-503"])
async def test_unavailable_problem_says_when_to_retry(
    client: httpx.AsyncClient, settings: Settings, kind: str
) -> None:
    response = await client.get(f"/_test/raise/{kind}")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(settings.retry_after_seconds)


async def test_unhandled_error_is_a_500_problem_without_internals(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/_test/raise/boom")

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    assert response.json()["title"] == "Internal server error"
    assert "traceback" not in response.json()


async def test_unhandled_error_in_development_is_a_500_problem_with_its_traceback(
    built_app: FastAPI, client: httpx.AsyncClient, settings: Settings
) -> None:
    store_settings(built_app, settings.model_copy(update={"debug": True}))

    response = await client.get("/_test/raise/boom")

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "urn:problem-type:internal-error"
    assert problem["traceback"][0] == "Traceback (most recent call last):"
    assert problem["traceback"][-1] == "RuntimeError: secret internal detail"


async def test_invalid_input_is_a_422_problem_listing_the_fields(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/_test/payload", json={"count": "many"})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["loc"] == ["body", "count"]


async def test_malformed_json_is_a_4xx_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/_test/payload", content=b"{not json", headers={"content-type": "application/json"}
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


async def test_a_body_that_is_not_utf8_is_a_422_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/_test/payload",
        content=b'{"count": "\xff\xfe"}',
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"] == [
        {"loc": ["body"], "msg": "The body is not valid UTF-8", "type": "json_invalid"}
    ]


async def test_unknown_route_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/route")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "urn:problem-type:not-found"


async def test_wrong_method_is_a_405_problem(client: httpx.AsyncClient) -> None:
    response = await client.delete("/health")

    assert response.status_code == 405
    assert response.json()["type"] == "urn:problem-type:method-not-allowed"


async def test_wrong_method_names_every_method_of_the_path(client: httpx.AsyncClient) -> None:
    response = await client.options("/api/v1/users/me")

    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["Allow"] == "DELETE, GET, HEAD, PATCH"
