"""Account rules: unique phone, username and e-mail among live accounts; deletion."""

import uuid
from datetime import datetime

from app.core.business_metrics import NO_BUSINESS_METRICS, BusinessMetrics, SessionRevocation
from app.core.errors import ValueTakenError
from app.crud.uow import UnitOfWork
from app.db.types import utcnow
from app.models import RevocationReason, User, UserSettings
from app.utils.usernames import is_reserved


class UserService:
    def __init__(self, uow: UnitOfWork, *, metrics: BusinessMetrics = NO_BUSINESS_METRICS) -> None:
        self._uow = uow
        self._metrics = metrics

    async def username_available(self, username: str) -> bool:
        return not is_reserved(username) and await self._uow.users.get_by_username(username) is None

    async def create_user(
        self,
        *,
        phone_number: str,  # E.164, already validated
        username: str,
        email: str | None = None,
        display_name: str | None = None,
        locale: str | None = None,
        phone_verified: bool = True,
        is_admin: bool = False,
    ) -> User:
        """Create an account with default settings; refuses a number or username a live
        account holds (the e-mail address starts unverified: nobody's yet).

        The check gives the common case a clear answer; the unique indexes settle a race
        (the unit of work turns their violation into the same ValueTakenError).
        """
        await self._ensure_available(phone_number, username)
        user = User(
            phone_number=phone_number,
            username=username,
            email=email,
            display_name=display_name,
            locale=locale,
            phone_verified_at=utcnow() if phone_verified else None,
            is_admin=is_admin,
        )
        user.settings = UserSettings(language=locale or "en")
        self._uow.users.add(user)
        await self._uow.flush()
        return user

    async def get_user(self, user_id: uuid.UUID) -> User:
        return await self._uow.users.get_or_raise(user_id)

    async def delete_user(self, user_id: uuid.UUID) -> datetime:
        """Soft-delete the account and end every session it has; returns when it ended them."""
        user = await self._uow.users.get_or_raise(user_id)
        now = utcnow()
        user.soft_delete(now)
        user.is_active = False
        user.tokens_valid_after = now
        await self._uow.refresh_tokens.revoke_all_for_user(
            user.id, reason=RevocationReason.ACCOUNT_DELETED, at=now
        )
        await self._uow.flush()
        self._metrics.session_revoked(SessionRevocation.ACCOUNT_DELETED)
        return now

    async def _ensure_available(self, phone_number: str, username: str) -> None:
        users = self._uow.users
        if await users.id_by_phone(phone_number) is not None:
            raise ValueTakenError("phone_number")
        if await users.get_by_username(username) is not None:
            raise ValueTakenError("username")
        # No check of `email`: it starts unverified, and an unverified address is nobody's.
