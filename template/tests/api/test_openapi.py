"""The OpenAPI schema documents every operation: text, tags, errors as problems, examples."""

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from pydantic import BaseModel

from app.api.auth import get_current_account, get_current_session, get_optional_account
from app.api.responses import PROBLEM_SCHEMA_REF
from app.core.problems import PROBLEM_CONTENT_TYPE
from app.schemas.auth import UsernameAvailabilityPublic
from app.schemas.problems import Problem
from app.schemas.sessions import TokenPairPublic
from app.schemas.users import UserPublic

BEARER: dict[str, list[str]] = {"HTTPBearer": []}
PROBLEM_CONTENT = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": PROBLEM_SCHEMA_REF}}}


@pytest.fixture(scope="module")
def operations(openapi_schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every operation by `METHOD /path`."""
    found = {
        f"{method.upper()} {path}": operation
        for path, item in openapi_schema["paths"].items()
        for method, operation in item.items()
    }
    assert found
    return found


def depends_on(dependant: Dependant, call: object) -> bool:
    return any(sub.call is call or depends_on(sub, call) for sub in dependant.dependencies)


def documented_routes(app: FastAPI) -> list[RouteContext]:
    """The operations in the schema, each with what its routers added (prefix, dependencies)."""
    return [
        route
        for route in iter_route_contexts(app.routes)
        if isinstance(route.original_route, APIRoute) and route.include_in_schema
    ]


def test_every_operation_has_a_summary_a_description_and_a_tag(
    operations: dict[str, dict[str, Any]],
) -> None:
    incomplete = [
        name
        for name, operation in operations.items()
        if not (operation.get("summary") and operation.get("description") and operation.get("tags"))
    ]

    assert incomplete == []


def test_the_tags_in_use_are_the_declared_ones_each_with_a_description(
    openapi_schema: dict[str, Any], operations: dict[str, dict[str, Any]]
) -> None:
    declared = {tag["name"]: tag.get("description") for tag in openapi_schema["tags"]}
    used = {tag for operation in operations.values() for tag in operation["tags"]}

    assert used == declared.keys()
    assert all(declared.values())


def test_every_error_response_is_a_problem(
    openapi_schema: dict[str, Any], operations: dict[str, dict[str, Any]]
) -> None:
    not_problems = [
        f"{name} {status}"
        for name, operation in operations.items()
        for status, response in operation["responses"].items()
        if status.startswith(("4", "5")) and response.get("content") != PROBLEM_CONTENT
    ]

    assert not_problems == []
    schemas = openapi_schema["components"]["schemas"]
    assert PROBLEM_SCHEMA_REF.rsplit("/", 1)[-1] in schemas
    assert "HTTPValidationError" not in schemas


def test_operations_that_take_input_document_422(operations: dict[str, dict[str, Any]]) -> None:
    takes_input = {
        name: operation
        for name, operation in operations.items()
        if operation.get("parameters") or operation.get("requestBody")
    }
    without_422 = [
        name for name, operation in takes_input.items() if "422" not in operation["responses"]
    ]

    assert takes_input
    assert without_422 == []


def test_operations_that_take_a_body_document_413_and_408(
    operations: dict[str, dict[str, Any]],
) -> None:
    with_body = [name for name, operation in operations.items() if "requestBody" in operation]
    without = [
        name for name in with_body if not {"408", "413"} <= operations[name]["responses"].keys()
    ]

    assert with_body
    assert without == []


def test_every_operation_documents_431(operations: dict[str, dict[str, Any]]) -> None:
    assert [name for name, op in operations.items() if "431" not in op["responses"]] == []


def test_phone_numbers_document_their_format_with_an_example(
    openapi_schema: dict[str, Any],
) -> None:
    fields = [
        field
        for model in openapi_schema["components"]["schemas"].values()
        for name, field in model.get("properties", {}).items()
        if name == "phone_number" and "pattern" in field
    ]

    assert fields  # every request that takes a number
    for field in fields:
        assert field["format"] == "phone"
        assert all(re.fullmatch(field["pattern"], example) for example in field["examples"])


def test_bearer_protected_operations_document_401_and_the_security_requirement(
    documented_app: FastAPI, openapi_schema: dict[str, Any], operations: dict[str, dict[str, Any]]
) -> None:
    protected = [
        f"{method} {route.path_format}"
        for route in documented_routes(documented_app)
        if depends_on(route.dependant, get_current_session)
        or depends_on(route.dependant, get_current_account)
        for method in route.methods or ()
    ]
    optional = [
        f"{method} {route.path_format}"
        for route in documented_routes(documented_app)
        if depends_on(route.dependant, get_optional_account)
        for method in route.methods or ()
    ]
    secured = [name for name, operation in operations.items() if operation.get("security")]

    assert protected
    assert set(optional) == {"GET /api/v1/features", "GET /api/v1/features/{name}"}
    assert set(protected) | set(optional) <= set(secured)
    # A route that merely accepts a token says that none is accepted too (`{}`).
    assert [name for name in optional if operations[name]["security"] != [BEARER, {}]] == []
    required = [name for name in secured if name not in optional]
    assert [name for name in required if operations[name]["security"] != [BEARER]] == []
    assert [name for name in secured if "401" not in operations[name]["responses"]] == []
    assert openapi_schema["components"]["securitySchemes"]["HTTPBearer"]["description"]


def test_every_json_request_body_has_an_example(
    openapi_schema: dict[str, Any], operations: dict[str, dict[str, Any]]
) -> None:
    bodies = {
        name: operation["requestBody"]["content"]["application/json"]["schema"]
        for name, operation in operations.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    }
    components = openapi_schema["components"]["schemas"]
    without_example = [
        name
        for name, body in bodies.items()
        if not components[body["$ref"].rsplit("/", 1)[-1]].get("examples")
    ]

    assert bodies
    assert without_example == []


def test_request_body_examples_are_valid_requests(documented_app: FastAPI) -> None:
    models = [
        route.body_field.field_info.annotation
        for route in documented_routes(documented_app)
        if route.body_field is not None
    ]

    assert models
    for model in models:
        assert isinstance(model, type)
        assert issubclass(model, BaseModel)
        for example in model.model_json_schema().get("examples", []):
            model.model_validate(example)


KEY_RESPONSES = [TokenPairPublic, UserPublic, UsernameAvailabilityPublic, Problem]


@pytest.mark.parametrize("model", KEY_RESPONSES)
def test_response_examples_are_valid_answers(model: type[BaseModel]) -> None:
    examples = model.model_json_schema(mode="serialization")["examples"]

    assert examples
    for example in examples:
        model.model_validate(example)


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/api/v1/auth/login", {"phone_number": 42}, 422),
        ("GET", "/api/v1/users/me", None, 401),
    ],
)
async def test_real_error_answers_match_the_problem_schema(
    client: httpx.AsyncClient, method: str, path: str, body: object, status: int
) -> None:
    response = await client.request(method, path, json=body)

    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_CONTENT_TYPE
    problem = Problem.model_validate(response.json())
    assert problem.status == status
    # Every member the handler wrote is documented.
    assert response.json().keys() <= Problem.model_fields.keys()


async def test_validation_problems_list_the_invalid_fields(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/login", json={"phone_number": 42})

    problem = Problem.model_validate(response.json())
    assert problem.errors is not None
    assert [error.loc for error in problem.errors] == [["body", "phone_number"]]


async def test_swagger_ui_keeps_the_token_across_reloads(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")

    assert '"persistAuthorization": true' in response.text
