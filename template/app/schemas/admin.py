"""Accounts as administrators see and change them."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.fields import SingleLineText


class UserAdminPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    phone_number: str
    email: str | None
    display_name: str | None
    is_active: bool
    is_admin: bool
    phone_verified_at: datetime | None
    email_verified_at: datetime | None
    last_login_at: datetime | None
    created_at: datetime
    deleted_at: datetime | None


class UserAdminPage(BaseModel):
    items: list[UserAdminPublic]
    # Pass as `cursor` to get the next page; null on the last one.
    next_cursor: str | None


class UserAdminQuery(BaseModel):
    """Filters of the account list; every one given must match."""

    model_config = ConfigDict(extra="forbid")

    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: SingleLineText | None = None
    is_active: bool | None = None
    is_admin: bool | None = None
    # A username prefix (any case) or a phone number prefix in E.164 (+44...).
    q: Annotated[SingleLineText, Field(min_length=1, max_length=32)] | None = None
    include_deleted: bool = False


class UserAdminUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"is_active": False}]}
    )

    is_active: bool | None = None
    is_admin: bool | None = None
