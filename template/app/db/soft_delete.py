"""Soft-deleted rows stay in their tables but are hidden from every ORM query by default.

Pass the execution option `include_deleted=True` to see them:
`select(User).execution_options(include_deleted=True)`.
"""

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from app.db.base import Model

INCLUDE_DELETED = "include_deleted"
# Built once: making the option costs more than applying it, on every SELECT.
_LIVE_ROWS_ONLY = with_loader_criteria(
    Model, lambda cls: cls.deleted_at.is_(None), include_aliases=True
)


class AppSession(Session):
    """The synchronous session behind every AsyncSession the service makes."""


@event.listens_for(AppSession, "do_orm_execute")
def _hide_soft_deleted_rows(state: ORMExecuteState) -> None:
    # Relationship and column loads inherit the criteria from the statement that loaded
    # their parent, so only top-level SELECTs need it; a SELECT on tables rather than
    # entities is Core, which loader criteria never apply to (it states its own).
    if (
        not state.is_select
        or not state.is_orm_statement
        or state.is_column_load
        or state.is_relationship_load
        or state.execution_options.get(INCLUDE_DELETED, False)
    ):
        return
    state.statement = state.statement.options(_LIVE_ROWS_ONLY)
