"""Requests of the session endpoints; they answer with `app.services.sessions.TokenPair`."""

from typing import Annotated

from pydantic import BaseModel, Field


class TokenRefreshCreate(BaseModel):
    # Ours are 43 characters; the cap only bounds the work a junk value costs.
    refresh_token: Annotated[str, Field(min_length=1, max_length=1024)]
