"""Requests and answers of the session endpoints (and of /auth/verify, which starts one)."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.fields import SingleLineText

# Made-up examples for the docs, shaped like the real ones.
JWT_EXAMPLE = "eyJhbGciOiJIUzI1NiIsImtpZCI6ImRldiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl"
OPAQUE_EXAMPLE = "q8Zl3nKf0v2WmB1xYt6RcUo9HsJd4EaP7gLiNbTyQwM"
# The OAuth 2.0 token type of every pair (RFC 6750).
BEARER: Literal["bearer"] = "bearer"


class TokenRefreshCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"refresh_token": OPAQUE_EXAMPLE}]})

    # Ours are 43 characters; the cap only bounds the work a junk value costs.
    refresh_token: Annotated[SingleLineText, Field(min_length=1, max_length=1024)]


class TokenPairPublic(BaseModel):
    """The answer of a sign-in or a refresh."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": JWT_EXAMPLE,
                    "refresh_token": OPAQUE_EXAMPLE,
                    "token_type": BEARER,
                    "expires_in": 1800,
                }
            ]
        }
    )

    access_token: str = Field(description="A JWT to send as `Authorization: Bearer <token>`")
    refresh_token: str = Field(description="Opaque; exchange it once at /auth/refresh")
    token_type: Literal["bearer"]
    expires_in: int = Field(description="Seconds the access token is valid for")
