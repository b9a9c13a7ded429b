import uuid

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.crud.base import Repository
from app.models import User
from app.models.user import normalize_email, normalize_username


class UserRepository(Repository[User]):
    """Users and their settings (one aggregate: settings never exist without their user)."""

    model = User

    async def get_by_phone(self, phone_number: str) -> User | None:
        return await self._one_or_none(select(User).where(User.phone_number == phone_number))

    async def get_by_username(self, username: str) -> User | None:
        normalized = normalize_username(username)
        return await self._one_or_none(select(User).where(User.username_normalized == normalized))

    async def get_by_email(self, email: str) -> User | None:
        return await self._one_or_none(select(User).where(User.email == normalize_email(email)))

    async def get_with_settings(self, user_id: uuid.UUID) -> User | None:
        """The user and its settings in one round trip."""
        return await self._one_or_none(
            select(User).where(User.id == user_id).options(joinedload(User.settings))
        )
