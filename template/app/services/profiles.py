"""The signed-in user's own profile and preferences."""

import uuid
from collections.abc import Mapping
from typing import Any

from app.crud.uow import UnitOfWork
from app.models import User, UserSettings


class ProfileService:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def update_profile(self, user: User, changes: Mapping[str, Any]) -> User:
        """Apply the given fields; a changed e-mail address starts unverified.

        An unverified address is nobody's (another account may hold it too, or verify it), so
        the answer never tells whether someone else has it.
        """
        if "email" in changes and changes["email"] != user.email:
            user.email_verified_at = None
        for field, value in changes.items():
            setattr(user, field, value)
        await self._uow.flush()
        return user

    async def get_settings(self, user_id: uuid.UUID) -> UserSettings:
        return await self._uow.users.settings_of(user_id)

    async def update_settings(self, user: User, changes: Mapping[str, Any]) -> UserSettings:
        settings = await self.get_settings(user.id)
        for field, value in changes.items():
            setattr(settings, field, value)
        await self._uow.flush()
        return settings
