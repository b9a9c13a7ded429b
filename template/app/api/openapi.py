"""What the OpenAPI schema and the docs pages (/docs, /redoc) say beyond the routes themselves."""

import copy
from typing import Any

from fastapi import FastAPI
from pydantic.json_schema import models_json_schema

from app.api.responses import (
    CONTENT_TOO_LARGE,
    HEADERS_TOO_LARGE,
    REQUEST_TIMEOUT,
    VALIDATION_FAILED,
)
from app.api.v1 import team
from app.schemas.problems import Problem

DESCRIPTION = """\
A phone-first service: accounts sign up and sign in with a code sent by text message.

## Authentication

1. `POST /api/v1/auth/register` (a new account) or `POST /api/v1/auth/login` sends a code to
   the phone. Both answer `202` whether or not the number has an account, with a `challenge`
   naming the code.
2. `POST /api/v1/auth/verify` with the number, the challenge and the code answers with a
   token pair: an
   access token (a JWT, valid 30 minutes by default; `expires_in` says how many seconds) and
   a refresh token (opaque, valid 7 days by default).
3. Send the access token on every call: `Authorization: Bearer <access_token>` (here:
   **Authorize**).
4. Before it expires, `POST /api/v1/auth/refresh` exchanges the refresh token for a new pair.
   Each refresh token works once; presenting a used one again ends the whole session.
5. `POST /api/v1/auth/logout` ends this session, `POST /api/v1/auth/logout-all` every session.

## Errors

Every error is an RFC 9457 problem (`application/problem+json`, schema `Problem`). Branch on
its `type`, never on `title` or `detail`; quote `request_id` (the `X-Request-ID` header) to
support. `422` lists the invalid fields in `errors`; `429` says when to retry in `retry_after`
and the `Retry-After` header.

## Versioning

The API lives under `/api/v1`. Additive changes (new endpoints, optional fields, response
fields: ignore those you do not know) ship within a version; breaking ones get a new version
after a deprecation period. `/health`, `/live` and `/ready` are unversioned: they are for
infrastructure.
"""

# In the order the docs show them; the team's own (app/api/v1/team.py) come last.
TAGS: list[dict[str, Any]] = [
    {
        "name": "auth",
        "description": "Sign up and sign in by phone: a code by text message, exchanged for a "
        "token pair. Every `/auth` endpoint is rate limited per client IP.",
    },
    {
        "name": "sessions",
        "description": "What a token pair is good for after sign-in: refresh it (rotation), "
        "sign out of this session or of every session.",
    },
    {
        "name": "users",
        "description": "The signed-in user's own account: profile, preferences, deletion.",
    },
    {
        "name": "features",
        "description": "Feature flags and their state for the caller, so clients can show or "
        "hide what depends on them. The token is optional: with one, percentage rollouts and "
        "allow-lists apply to the signed-in user.",
    },
    {"name": "admin", "description": "Account administration; administrators only."},
    {
        "name": "system",
        "description": "Health and probes for load balancers and Kubernetes; unversioned.",
    },
    *team.TAGS,
]

SWAGGER_UI_PARAMETERS: dict[str, Any] = {
    # The token entered under Authorize survives a reload of the page.
    "persistAuthorization": True,
    "displayRequestDuration": True,
    # The schema list at the bottom starts collapsed; each operation shows its own models.
    "defaultModelsExpandDepth": 0,
    # A box that narrows the operations down to a tag.
    "filter": True,
    # Swagger UI would otherwise send the schema's address to validator.swagger.io.
    "validatorUrl": None,
}


def install_openapi(app: FastAPI) -> None:
    """Publishes the Problem schema and documents FastAPI's own 422 answers with it, and the
    answers of the request limits (408, 413, 431)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _with_problem_schema(generate())
        return app.openapi_schema

    # FastAPI's documented way to change the generated schema.
    app.openapi = openapi  # type: ignore[method-assign]


# The body FastAPI documents for a 422 unless the route documents its own.
FASTAPI_VALIDATION_ERROR_REF = "#/components/schemas/HTTPValidationError"


def _with_problem_schema(schema: dict[str, Any]) -> dict[str, Any]:
    _, definitions = models_json_schema(
        [(Problem, "serialization")], ref_template="#/components/schemas/{model}"
    )
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(definitions["$defs"])
    # FastAPI documents a 422 with its own body on every operation that takes input, but
    # app.core.problems answers request validation failures with a Problem.
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            if _is_fastapi_validation_error(operation["responses"].get("422")):
                operation["responses"]["422"] = copy.deepcopy(VALIDATION_FAILED[422])
            # app.core.request_limits answers before any route: headers over their limits
            # (431) on every operation, a body too large (413) or too slow (408) where one is
            # read.
            operation["responses"].setdefault("431", copy.deepcopy(HEADERS_TOO_LARGE[431]))
            if "requestBody" in operation:
                operation["responses"].setdefault("413", copy.deepcopy(CONTENT_TOO_LARGE[413]))
                operation["responses"].setdefault("408", copy.deepcopy(REQUEST_TIMEOUT[408]))
            # By status, whichever of router and route documented each.
            operation["responses"] = dict(sorted(operation["responses"].items()))
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    return schema


def _is_fastapi_validation_error(response: dict[str, Any] | None) -> bool:
    schema = (response or {}).get("content", {}).get("application/json", {}).get("schema")
    return bool(schema == {"$ref": FASTAPI_VALIDATION_ERROR_REF})
