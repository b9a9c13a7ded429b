"""Requests that only read run in autocommit: no BEGIN and COMMIT around their reads."""

import uuid
from collections.abc import AsyncIterator
from types import SimpleNamespace

import pytest
from fastapi import FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import get_session_factory
from app.core.config import Settings
from app.db.session import Database, open_database
from app.models import User


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    async with open_database(settings) as database:
        yield database


async def server_transaction_is_open(session: AsyncSession) -> bool:
    """Asks the driver, not SQLAlchemy, which counts a transaction even in autocommit."""
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    assert driver is not None
    # asyncpg asks its protocol; sqlite3 (behind aiosqlite) keeps a flag.
    if connection.dialect.name == "postgresql":
        return bool(driver.is_in_transaction())
    return bool(driver.in_transaction)


async def test_a_read_session_runs_outside_a_transaction(database: Database) -> None:
    async with database.read_session_factory() as session:
        assert await session.get(User, uuid.uuid4()) is None

        assert not await server_transaction_is_open(session)


async def test_a_write_session_runs_in_one_transaction(database: Database) -> None:
    async with database.session_factory() as session:
        assert await session.get(User, uuid.uuid4()) is None

        assert await server_transaction_is_open(session)


@pytest.mark.parametrize(
    ("method", "reads_only"),
    [("GET", True), ("HEAD", True), ("POST", False), ("PATCH", False), ("DELETE", False)],
)
async def test_only_safe_methods_read_in_autocommit(
    database: Database, method: str, reads_only: bool
) -> None:
    app = FastAPI()
    app.state.resources = SimpleNamespace(database=database)
    request = Request({"type": "http", "method": method, "headers": [], "app": app})

    factory = await get_session_factory(request)

    assert (factory is database.read_session_factory) is reads_only
