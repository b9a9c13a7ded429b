"""The breaking-change check CI runs on pull requests, on small schemas and on the real one."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tools.openapi_breaking import breaking_changes, main
from tools.openapi_snapshot import SNAPSHOT

Schema = dict[str, Any]
SCHEMAS = "#/components/schemas"


def spec() -> Schema:
    """Users with a profile behind a $ref, a list endpoint and a create endpoint."""
    profile = {
        "type": "object",
        "properties": {"bio": {"type": "string"}, "friend": {"$ref": "#/components/schemas/User"}},
    }
    user = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "profile": {"anyOf": [{"$ref": "#/components/schemas/Profile"}, {"type": "null"}]},
        },
    }
    create = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "bio": {"type": "string"}},
    }
    json_body = {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}
    return {
        "openapi": "3.1.0",
        "paths": {
            "/users": {
                "get": {
                    "parameters": [{"name": "limit", "in": "query", "required": False}],
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/User"},
                                    }
                                }
                            }
                        },
                        "422": {"description": "invalid"},
                    },
                },
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/UserCreate"}
                            }
                        },
                    },
                    "responses": {"201": {"content": json_body}},
                },
            },
        },
        "components": {"schemas": {"User": user, "Profile": profile, "UserCreate": create}},
    }


def changed(edit: Any) -> Schema:
    head = copy.deepcopy(spec())
    edit(head)
    return head


def test_identical_schemas_have_no_breaking_changes() -> None:
    assert breaking_changes(spec(), spec()) == []


def test_additive_changes_are_not_breaking() -> None:
    def add(head: Schema) -> None:
        schemas = head["components"]["schemas"]
        head["paths"]["/users/{id}"] = {"get": {"responses": {"200": {"description": "one"}}}}
        schemas["User"]["properties"]["email"] = {"type": "string"}
        schemas["UserCreate"]["properties"]["email"] = {"type": "string"}
        head["paths"]["/users"]["get"]["parameters"].append({"name": "q", "in": "query"})
        del head["paths"]["/users"]["get"]["responses"]["422"]  # an error answer gone
        schemas["UserCreate"]["required"] = []  # looser

    assert breaking_changes(spec(), changed(add)) == []


def test_a_removed_operation_is_breaking() -> None:
    head = changed(lambda head: head["paths"]["/users"].pop("post"))

    assert breaking_changes(spec(), head) == ["POST /users: the operation was removed"]


def test_a_field_removed_from_a_response_is_breaking_at_any_depth() -> None:
    head = changed(lambda head: head["components"]["schemas"]["Profile"]["properties"].pop("bio"))

    assert breaking_changes(spec(), head) == [
        "GET /users: the 200 response lost the field `[].profile.bio`",
        "POST /users: the 201 response lost the field `profile.bio`",
    ]


def test_a_removed_success_status_is_breaking() -> None:
    def to_200(head: Schema) -> None:
        responses = head["paths"]["/users"]["post"]["responses"]
        responses["200"] = responses.pop("201")

    assert breaking_changes(spec(), changed(to_200)) == [
        "POST /users: the 201 response was removed"
    ]


def test_new_required_request_fields_and_parameters_are_breaking() -> None:
    def require(head: Schema) -> None:
        head["components"]["schemas"]["UserCreate"]["required"] = ["name", "bio"]
        parameters = head["paths"]["/users"]["get"]["parameters"]
        parameters[0]["required"] = True
        parameters.append({"name": "X-Tenant", "in": "header", "required": True})

    assert breaking_changes(spec(), changed(require)) == [
        "GET /users: the query parameter `limit` is now required",
        "GET /users: the header parameter `X-Tenant` is new and required",
        "POST /users: the request field `bio` is new and required, or became required",
    ]


def test_the_service_schema_is_read_whole_and_itself_unchanged() -> None:
    schema = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    without_first = copy.deepcopy(schema)
    path = next(iter(without_first["paths"]))
    del without_first["paths"][path]

    assert breaking_changes(schema, schema) == []
    assert breaking_changes(schema, without_first)


@pytest.mark.parametrize(
    ("edit", "status"), [(lambda head: None, 0), (lambda head: head.pop("paths"), 1)]
)
def test_the_command_exits_1_on_breaking_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: Any, status: int
) -> None:
    base, head = tmp_path / "base.json", tmp_path / "head.json"
    base.write_text(json.dumps(spec()))
    head.write_text(json.dumps(changed(edit)))

    assert main([str(base), str(head)]) == status
    output = capsys.readouterr().out
    assert ("breaking: POST /users: the operation was removed" in output) is bool(status)
