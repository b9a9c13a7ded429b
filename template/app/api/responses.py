"""The error responses routes document, each a problem+json body (`app.schemas.problems`).

Routers and routes merge these into `responses=`. Routes leave 422 out: FastAPI documents it
on every operation that takes input, and `app.api.openapi` gives it the Problem body.
"""

from typing import Any

from app.core.problems import PROBLEM_CONTENT_TYPE
from app.schemas.problems import Problem

# `app.api.openapi` publishes the schema under the model's name.
PROBLEM_SCHEMA_REF = f"#/components/schemas/{Problem.__name__}"

Responses = dict[int | str, dict[str, Any]]


def problem(status: int, description: str) -> Responses:
    """An error response with a problem+json body, for a route's or router's `responses=`."""
    content = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": PROBLEM_SCHEMA_REF}}}
    return {status: {"description": description, "content": content}}


INVALID_CODE = problem(400, "The code is wrong, expired, burnt by wrong tries, or used already")
UNAUTHENTICATED = problem(401, "No access token, or one that is invalid, expired or revoked")
FORBIDDEN = problem(403, "The account's role does not allow this")
VALIDATION_FAILED = problem(422, "A parameter or a field of the body is not valid; see `errors`")
CONTENT_TOO_LARGE = problem(413, "The body is larger than MAX_REQUEST_BODY_BYTES")
REQUEST_TIMEOUT = problem(408, "The body did not arrive within REQUEST_BODY_TIMEOUT_SECONDS")
HEADERS_TOO_LARGE = problem(
    431, "More header lines than MAX_REQUEST_HEADERS or bytes than MAX_REQUEST_HEADER_BYTES"
)
RATE_LIMITED = problem(429, "Too many requests; retry after `retry_after` seconds")
UNAVAILABLE = problem(503, "A service this request depends on is unavailable; retry later")

# Bearer-protected routes: each request checks the token against revocations (in Redis).
AUTHENTICATED = UNAUTHENTICATED | UNAVAILABLE
