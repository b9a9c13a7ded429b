"""What every repository shares: load or raise, keyset pages, soft delete and restore.

Repositories build typed SQLAlchemy queries and never commit: the unit of work owns the
transaction.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFoundError
from app.crud.pagination import Page, decode_cursor, encode_cursor
from app.db.base import Model
from app.db.soft_delete import INCLUDE_DELETED


class Repository[ModelT: Model]:
    model: type[ModelT]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, instance: ModelT) -> ModelT:
        self.session.add(instance)
        return instance

    async def get(self, row_id: uuid.UUID, *, include_deleted: bool = False) -> ModelT | None:
        return await self._one_or_none(
            select(self.model).where(self.model.id == row_id), include_deleted=include_deleted
        )

    async def get_or_raise(self, row_id: uuid.UUID, *, include_deleted: bool = False) -> ModelT:
        instance = await self.get(row_id, include_deleted=include_deleted)
        if instance is None:
            raise NotFoundError(f"{self.model.__name__} {row_id} does not exist")
        return instance

    async def soft_delete(self, row_id: uuid.UUID, *, at: datetime | None = None) -> ModelT:
        instance = await self.get_or_raise(row_id)
        instance.soft_delete(at)
        await self.session.flush()
        return instance

    async def restore(self, row_id: uuid.UUID) -> ModelT:
        """Bring a soft-deleted row back; fails if a live row took its unique values since."""
        instance = await self.get_or_raise(row_id, include_deleted=True)
        instance.restore()
        await self.session.flush()
        return instance

    async def page(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        where: ColumnElement[bool] | None = None,
        include_deleted: bool = False,
    ) -> Page[ModelT]:
        """Newest first; `cursor` is the `next_cursor` of the previous page."""
        statement = select(self.model).order_by(self.model.created_at.desc(), self.model.id.desc())
        if where is not None:
            statement = statement.where(where)
        if cursor is not None:
            created_at, row_id = decode_cursor(cursor)
            statement = statement.where(
                or_(
                    self.model.created_at < created_at,
                    and_(self.model.created_at == created_at, self.model.id < row_id),
                )
            )
        # One row more than asked tells whether another page follows, without a COUNT.
        rows = await self._all(statement.limit(limit + 1), include_deleted=include_deleted)
        items = rows[:limit]
        has_more = len(rows) > limit
        last = items[-1] if has_more else None
        return Page(
            items=items,
            next_cursor=None if last is None else encode_cursor(last.created_at, last.id),
        )

    # Select[Any]: SQLAlchemy 2.0 types a query as Select[tuple[T]], 2.1 as Select[T].
    async def _one_or_none(
        self, statement: Select[Any], *, include_deleted: bool = False
    ) -> ModelT | None:
        result = await self.session.execute(
            statement, execution_options={INCLUDE_DELETED: include_deleted}
        )
        instance: ModelT | None = result.scalar_one_or_none()
        return instance

    async def _all(self, statement: Select[Any], *, include_deleted: bool = False) -> list[ModelT]:
        result = await self.session.scalars(
            statement, execution_options={INCLUDE_DELETED: include_deleted}
        )
        instances: list[ModelT] = list(result.all())
        return instances
