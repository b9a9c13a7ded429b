"""The user's public fields, written once.

The account as its owner sees it. The signed-in caller's read model
(`app.crud.accounts.Account`) and the response schema (`app.schemas.users.UserPublic`) both
extend this list, and the read model's SELECT is built from their fields, so a column made
public here reaches the read, the answer and the OpenAPI document together. It sits beside
the table because it is the one layer both of them stand on.
"""

import uuid
from datetime import date, datetime

from pydantic import BaseModel


class UserPublicFields(BaseModel):
    id: uuid.UUID
    phone_number: str
    phone_verified_at: datetime | None
    username: str
    email: str | None
    email_verified_at: datetime | None
    display_name: str | None
    bio: str | None
    avatar_url: str | None
    date_of_birth: date | None
    locale: str | None
    timezone: str | None
    is_admin: bool
    created_at: datetime
