"""The signed-in user's own profile and preferences."""

from collections.abc import Mapping
from typing import Any

from app.core.errors import ValueTakenError
from app.db.uow import UnitOfWork
from app.models import User, UserSettings


class ProfileService:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def update_profile(self, user: User, changes: Mapping[str, Any]) -> User:
        """Apply the given fields; a changed e-mail address must be free and starts unverified."""
        if "email" in changes and changes["email"] != user.email:
            await self._ensure_email_free(user, changes["email"])
            user.email_verified_at = None
        for field, value in changes.items():
            setattr(user, field, value)
        # Another account may take the address between the check and the write: the unique
        # index decides, and this flush raises ValueTakenError.
        await self._uow.flush()
        return user

    async def get_settings(self, user: User) -> UserSettings:
        settings: UserSettings = await user.awaitable_attrs.settings
        return settings

    async def update_settings(self, user: User, changes: Mapping[str, Any]) -> UserSettings:
        settings = await self.get_settings(user)
        for field, value in changes.items():
            setattr(settings, field, value)
        await self._uow.flush()
        return settings

    async def _ensure_email_free(self, user: User, email: str | None) -> None:
        if email is None:
            return
        holder = await self._uow.users.get_by_email(email)
        if holder is not None and holder.id != user.id:
            raise ValueTakenError("email")
