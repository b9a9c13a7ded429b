"""Database health check for the readiness probe."""

import asyncio

import structlog
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.errors import DatabaseUnavailableError

logger = structlog.get_logger("app.db")


async def database_is_available(engine: AsyncEngine, *, timeout_seconds: float) -> bool:
    """Whether the database answers a trivial query within the timeout."""
    try:
        async with asyncio.timeout(timeout_seconds), engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("SELECT 1"))
    except (TimeoutError, OSError, SQLAlchemyError, DatabaseUnavailableError) as exc:
        logger.warning("database_unavailable", error_type=type(exc).__name__, error=str(exc))
        return False
    return True
