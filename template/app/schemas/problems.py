"""The RFC 9457 problem+json body of every error (`app.core.problems` writes it), for the docs.

Extension members appear only on the problems that carry them; clients ignore members they
do not know, so adding one is not a breaking change.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ProblemFieldError(BaseModel):
    loc: list[str | int] = Field(
        description="Where the invalid value is: `body`, `query`, `path` or `header`, "
        "then the field names and list positions",
        examples=[["body", "phone_number"]],
    )
    msg: str = Field(description="What is wrong, for humans")
    type: str = Field(description="Pydantic's error type, for machines", examples=["value_error"])


class Problem(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:problem-type:not-authenticated",
                    "title": "Authentication required",
                    "status": 401,
                    "detail": "An access token is required",
                    "instance": "/api/v1/users/me",
                    "request_id": "4f3c2a9e8b7d4c1fa0e6d5b3c2a1f0e9",
                }
            ]
        }
    )

    type: str = Field(
        description="Stable identifier of the kind of problem: branch on this",
        examples=["urn:problem-type:not-found"],
    )
    title: str = Field(description="Short summary of the kind of problem, for humans")
    status: int = Field(description="The HTTP status code", examples=[404])
    detail: str = Field(description="What went wrong this time, for humans; may change")
    instance: str = Field(description="The path of the request", examples=["/api/v1/users/me"])
    request_id: str | None = Field(
        description="The request's X-Request-ID: quote it to support, it finds the logs"
    )
    errors: list[ProblemFieldError] | None = Field(
        default=None, description="422 `validation-failed` from request parsing: each invalid value"
    )
    field: str | None = Field(
        default=None,
        description="409 and some 422: the field whose value is taken or refused",
        examples=["username"],
    )
    retry_after: int | None = Field(
        default=None, description="429: seconds to wait before retrying (as Retry-After)"
    )
    service: str | None = Field(
        default=None,
        description="503 `service-unavailable`: the dependency that failed",
        examples=["redis"],
    )
    checks: dict[str, Literal["ok", "unavailable"]] | None = Field(
        default=None, description="503 `not-ready` from /ready: the state of each dependency"
    )
