"""Unique violations as domain errors, named by the unique indexes the models declare.

PostgreSQL names the violated constraint; SQLite names only its columns (`UNIQUE constraint
failed: users.email`), so those are matched against the same declared indexes. A violation
of an index that declares no field stays an IntegrityError: it is a bug, not a conflict.
"""

import sqlite3
from functools import cache

from sqlalchemy import Index
from sqlalchemy.exc import IntegrityError

from app.core.errors import ValueTakenError
from app.db.base import UNIQUE_FIELD, Model

_SQLITE_UNIQUE_PREFIX = "UNIQUE constraint failed: "


@cache
def _declared_fields() -> dict[str, str]:
    """Index name, and "table.column, ..." as SQLite names it, -> the field it protects."""
    fields: dict[str, str] = {}
    for table in Model.metadata.tables.values():
        for index in table.indexes:
            field = index.info.get(UNIQUE_FIELD)
            if field is not None and isinstance(index, Index) and index.name is not None:
                fields[str(index.name)] = field
                fields[", ".join(f"{table.name}.{column.name}" for column in index.columns)] = field
    return fields


def _violated_constraint(exc: IntegrityError) -> str | None:
    # asyncpg's UniqueViolationError is the cause of SQLAlchemy's adapted DBAPI error.
    constraint = getattr(getattr(exc.orig, "__cause__", None), "constraint_name", None)
    if isinstance(constraint, str):
        return constraint
    if isinstance(exc.orig, sqlite3.IntegrityError) and exc.orig.sqlite_errorname in {
        "SQLITE_CONSTRAINT_UNIQUE",
        "SQLITE_CONSTRAINT_PRIMARYKEY",
    }:
        return str(exc.orig).removeprefix(_SQLITE_UNIQUE_PREFIX)
    return None


def as_value_taken(exc: IntegrityError) -> ValueTakenError | None:
    """The domain error for a violated unique index that declares a field, else None."""
    constraint = _violated_constraint(exc)
    field = _declared_fields().get(constraint) if constraint is not None else None
    return ValueTakenError(field) if field is not None else None
