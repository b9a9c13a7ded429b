"""Account rules: unique phone, username and e-mail among live accounts; deletion."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from app.core.business_metrics import NO_BUSINESS_METRICS, BusinessMetrics, SessionRevocation
from app.core.errors import ConflictError
from app.db.types import utcnow
from app.models import RevocationReason, User, UserSettings
from app.services.ports import UnitOfWorkPort


@dataclass(frozen=True, slots=True, kw_only=True)
class NewUser:
    phone_number: str  # E.164, already validated
    username: str
    email: str | None = None
    display_name: str | None = None
    locale: str | None = None
    phone_verified: bool = True
    is_admin: bool = False


class UserService:
    def __init__(
        self, uow: UnitOfWorkPort, *, metrics: BusinessMetrics = NO_BUSINESS_METRICS
    ) -> None:
        self._uow = uow
        self._metrics = metrics

    async def create_user(self, new: NewUser) -> User:
        """Create an account with default settings; refuses values a live account holds."""
        await self._ensure_available(new)
        now = utcnow()
        user = User(
            phone_number=new.phone_number,
            username=new.username,
            email=new.email,
            display_name=new.display_name,
            locale=new.locale,
            phone_verified_at=now if new.phone_verified else None,
            is_admin=new.is_admin,
        )
        user.settings = UserSettings(language=new.locale or "en")
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

    async def _ensure_available(self, new: NewUser) -> None:
        users = self._uow.users
        if await users.get_by_phone(new.phone_number) is not None:
            raise ConflictError("This phone number is already registered", field="phone_number")
        if await users.get_by_username(new.username) is not None:
            raise ConflictError("This username is taken", field="username")
        if new.email is not None and await users.get_by_email(new.email) is not None:
            raise ConflictError("This e-mail address is already registered", field="email")
