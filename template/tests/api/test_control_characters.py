"""Control characters in request text: a 422 naming the field, never a 500 from the database."""

import uuid
from typing import Any

import httpx
import pytest

from app.schemas.fields import MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN
from tests.phone_auth import new_phone, new_username

ME = "/api/v1/users/me"
NUL = "Ada\x00Lovelace"


def refused_fields(response: httpx.Response) -> list[list[str | int]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [error["loc"] for error in response.json()["errors"]]


def is_string(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "string" or any(is_string(s) for s in schema.get("anyOf", []))


def json_bodies(document: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(method, path, text fields) of every operation that takes a JSON body."""
    components = document["components"]["schemas"]
    bodies = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            name = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
            properties = components[name].get("properties", {})
            fields = [field for field, schema in properties.items() if is_string(schema)]
            concrete = path.replace("{name}", "registration").replace(
                "{user_id}", str(uuid.uuid4())
            )
            bodies.append((method, concrete, fields))
    return bodies


async def test_a_nul_in_any_text_field_of_any_body_is_a_422_naming_it(
    openapi_schema: dict[str, Any], client: httpx.AsyncClient, admin_auth: dict[str, str]
) -> None:
    bodies = json_bodies(openapi_schema)
    assert any("display_name" in fields for _, _, fields in bodies)

    for method, path, fields in bodies:
        for field in fields:
            response = await client.request(method, path, headers=admin_auth, json={field: NUL})

            assert ["body", field] in refused_fields(response), (method, path, field)


async def test_a_nul_in_a_registration_s_display_name_is_refused(
    client: httpx.AsyncClient,
) -> None:
    body = {"phone_number": new_phone(), "username": new_username(), "display_name": NUL}

    response = await client.post("/api/v1/auth/register", json=body)

    assert refused_fields(response) == [["body", "display_name"]]
    assert "control characters" in response.json()["errors"][0]["msg"].lower()


@pytest.mark.parametrize("bio", [NUL, "bell\x07", "escape\x1b[31m", "delete\x7f"])
async def test_control_characters_in_the_bio_are_refused(
    client: httpx.AsyncClient, admin_auth: dict[str, str], bio: str
) -> None:
    response = await client.patch(ME, headers=admin_auth, json={"bio": bio})

    assert refused_fields(response) == [["body", "bio"]]


async def test_the_bio_keeps_tabs_and_line_breaks(
    client: httpx.AsyncClient, admin_auth: dict[str, str]
) -> None:
    bio = "First line\r\nSecond\tline"

    response = await client.patch(ME, headers=admin_auth, json={"bio": bio})

    assert response.status_code == 200, response.text
    assert response.json()["bio"] == bio


@pytest.mark.parametrize("display_name", ["Ada\tLovelace", "Ada\nLovelace"])
async def test_a_display_name_is_one_line(
    client: httpx.AsyncClient, admin_auth: dict[str, str], display_name: str
) -> None:
    response = await client.patch(ME, headers=admin_auth, json={"display_name": display_name})

    assert refused_fields(response) == [["body", "display_name"]]


@pytest.mark.parametrize("parameter", ["q", "cursor"])
async def test_a_nul_in_a_search_parameter_is_refused(
    client: httpx.AsyncClient, admin_auth: dict[str, str], parameter: str
) -> None:
    response = await client.get("/api/v1/admin/users", headers=admin_auth, params={parameter: NUL})

    assert refused_fields(response) == [["query", parameter]]


def test_the_schema_tells_clients_the_rule(openapi_schema: dict[str, Any]) -> None:
    schemas = openapi_schema["components"]["schemas"]

    bio = schemas["UserUpdate"]["properties"]["bio"]["anyOf"][0]
    assert bio["pattern"] == MULTI_LINE_PATTERN
    refresh_token = schemas["TokenRefreshCreate"]["properties"]["refresh_token"]
    assert refresh_token["pattern"] == SINGLE_LINE_PATTERN
