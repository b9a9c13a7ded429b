"""Read-only sessions: a session made with `read_only=True` refuses every write.

What a read endpoint takes says that it only reads (`ReadOnlyUnitOfWork`); this makes the
claim hold. The session refuses to flush a change and to execute anything but a SELECT, so a
write reaches neither the database nor a later commit: it raises `ReadOnlySessionError`, a
bug in the handler (500), at the line that tried.
"""

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from app.db.soft_delete import AppSession

READ_ONLY = "read_only"


class ReadOnlySessionError(RuntimeError):
    """A write was attempted in a read-only session."""


def is_read_only(session: Session) -> bool:
    return bool(session.info.get(READ_ONLY, False))


def makes_read_only_sessions(factory: async_sessionmaker[AsyncSession]) -> bool:
    return bool(factory.kw.get("info", {}).get(READ_ONLY, False))


@event.listens_for(AppSession, "before_flush")
def _refuse_flush(session: Session, _: UOWTransaction, __: Any) -> None:
    if is_read_only(session):
        raise ReadOnlySessionError("This request's session is read-only: it cannot flush")


@event.listens_for(AppSession, "do_orm_execute")
def _refuse_statement(state: ORMExecuteState) -> None:
    if not state.is_select and is_read_only(state.session):
        raise ReadOnlySessionError("This request's session is read-only: only SELECTs run")
