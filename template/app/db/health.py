"""Database health check for the readiness probe: it answers, and its schema is the code's."""

import asyncio
from typing import Literal

import structlog
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.errors import DatabaseUnavailableError

logger = structlog.get_logger("app.db")

DatabaseStatus = Literal["ok", "unavailable", "migrations pending"]


async def database_status(
    engine: AsyncEngine, *, expected_revisions: frozenset[str], timeout_seconds: float
) -> DatabaseStatus:
    """Whether the database answers within the timeout, at the code's migration revisions.

    One query: reading Alembic's revision table also proves the database answers.
    """
    try:
        async with asyncio.timeout(timeout_seconds), engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            try:
                result = await autocommit.execute(text("SELECT version_num FROM alembic_version"))
            except DBAPIError as exc:
                if exc.connection_invalidated:
                    raise
                return "migrations pending"  # no revision table: never migrated
            revisions = frozenset(result.scalars())
    except (TimeoutError, OSError, SQLAlchemyError, DatabaseUnavailableError) as exc:
        logger.warning("database_unavailable", error_type=type(exc).__name__, error=str(exc))
        return "unavailable"
    if revisions != expected_revisions:
        logger.warning(
            "database_migrations_pending",
            database=sorted(revisions),
            code=sorted(expected_revisions),
        )
        return "migrations pending"
    return "ok"
