"""Account administration: listing accounts, activating them, granting admin rights."""

import uuid
from dataclasses import dataclass

import structlog

from app.core.business_metrics import SessionRevocation
from app.core.errors import ConflictError
from app.crud.accounts import Account
from app.crud.pagination import Page
from app.crud.uow import UnitOfWork
from app.models import User
from app.services.sessions import SessionService

logger = structlog.get_logger("app.admin")


@dataclass(frozen=True, slots=True, kw_only=True)
class UserFilter:
    is_active: bool | None = None
    is_admin: bool | None = None
    query: str | None = None  # username or phone number prefix
    include_deleted: bool = False


class AdminReader:
    """What the admin endpoints read: a read-only unit of work is all it needs."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def list_users(
        self, filters: UserFilter, *, limit: int, cursor: str | None
    ) -> Page[User]:
        return await self._uow.users.search(
            limit=limit,
            cursor=cursor,
            is_active=filters.is_active,
            is_admin=filters.is_admin,
            query=filters.query,
            include_deleted=filters.include_deleted,
        )


class AdminService(AdminReader):
    """Reads as `AdminReader` does, and changes accounts: it signs out those it deactivates."""

    def __init__(self, uow: UnitOfWork, sessions: SessionService) -> None:
        super().__init__(uow)
        self._sessions = sessions

    async def update_user(
        self,
        actor: Account,
        user_id: uuid.UUID,
        *,
        is_active: bool | None = None,
        is_admin: bool | None = None,
    ) -> User:
        """Change an account's status; a deactivated account is signed out everywhere at once."""
        if actor.id == user_id and False in (is_active, is_admin):
            # Would leave the service without the admin who could undo it.
            raise ConflictError("Administrators cannot deactivate or demote themselves")
        user = await self._uow.users.get_or_raise(user_id)
        if is_admin is not None:
            user.is_admin = is_admin
        if is_active is not None and is_active != user.is_active:
            user.is_active = is_active
            if not is_active:
                await self._sessions.logout_all(
                    user.id, reason=SessionRevocation.ADMIN_DEACTIVATION
                )
        await self._uow.flush()
        logger.info(
            "admin_user_updated",
            actor_id=str(actor.id),
            user_id=str(user_id),
            is_active=is_active,
            is_admin=is_admin,
        )
        return user
