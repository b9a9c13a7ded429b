import uuid
from typing import cast

from sqlalchemy import ColumnElement, Table, and_, bindparam, or_, select, true

from app.crud.base import Repository
from app.crud.pagination import Page
from app.models import User
from app.utils.usernames import normalize_username

_users = cast(Table, User.__table__).c
# On the table, not the entity: asking whether a number has an account loads no object.
ID_BY_PHONE = select(_users.id).where(
    _users.phone_number == bindparam("phone_number"), _users.deleted_at.is_(None)
)


class UserRepository(Repository[User]):
    """Users and their settings (one aggregate: settings never exist without their user)."""

    model = User

    async def get_by_phone(self, phone_number: str) -> User | None:
        return await self._one_or_none(select(User).where(User.phone_number == phone_number))

    async def id_by_phone(self, phone_number: str) -> uuid.UUID | None:
        """The id of the live account with this number, if there is one."""
        return await self.session.scalar(ID_BY_PHONE, {"phone_number": phone_number})

    async def get_by_username(self, username: str) -> User | None:
        normalized = normalize_username(username)
        return await self._one_or_none(select(User).where(User.username_normalized == normalized))

    async def search(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        is_active: bool | None = None,
        is_admin: bool | None = None,
        query: str | None = None,
        include_deleted: bool = False,
    ) -> Page[User]:
        """A page of accounts matching every filter given; `query` is a username or phone prefix."""
        conditions: list[ColumnElement[bool]] = []
        if is_active is not None:
            conditions.append(User.is_active == is_active)
        if is_admin is not None:
            conditions.append(User.is_admin == is_admin)
        if query:
            conditions.append(
                or_(
                    User.username_normalized.startswith(normalize_username(query), autoescape=True),
                    User.phone_number.startswith(query, autoescape=True),
                )
            )
        return await self.page(
            limit=limit,
            cursor=cursor,
            where=and_(true(), *conditions),
            include_deleted=include_deleted,
        )
