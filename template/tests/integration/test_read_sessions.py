"""Read endpoints take a read-only unit of work: in autocommit, and unable to write."""

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import ReadOnlyUnitOfWorkDep, get_unit_of_work
from app.core.config import Settings
from app.crud.uow import ReadOnlyUnitOfWork, UnitOfWork
from app.db.read_only import ReadOnlySessionError
from app.db.session import Database, open_database
from app.main import create_app
from app.models import User
from tests.factories import UserFactory


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


async def test_a_read_only_unit_of_work_cannot_flush_a_change(database: Database) -> None:
    user = UserFactory.build()

    async with ReadOnlyUnitOfWork(database.read_session_factory) as uow:
        uow.users.add(user)
        with pytest.raises(ReadOnlySessionError):
            await uow.flush()
        await uow.rollback()

    async with UnitOfWork(database.session_factory) as uow:
        assert await uow.users.get(user.id) is None


async def test_a_read_only_unit_of_work_runs_no_write_statement(database: Database) -> None:
    async with ReadOnlyUnitOfWork(database.read_session_factory) as uow:
        with pytest.raises(ReadOnlySessionError):
            await uow.session.execute(update(User).values(is_admin=True))


async def test_a_read_only_unit_of_work_needs_a_read_only_session(database: Database) -> None:
    with pytest.raises(ValueError, match="read-only"):
        ReadOnlyUnitOfWork(database.session_factory)


async def test_a_read_only_request_cannot_write(
    app: FastAPI, client: httpx.AsyncClient, uow: UnitOfWork, user: User
) -> None:
    @app.get("/probe/promote")
    async def promote(reads: ReadOnlyUnitOfWorkDep) -> None:
        target = await reads.users.get_or_raise(user.id)
        target.is_admin = True

    response = await client.get("/probe/promote")

    assert response.status_code == 500
    await uow.session.refresh(user)
    assert user.is_admin is False


def depends_on(dependant: Dependant, call: object) -> bool:
    return any(sub.call is call or depends_on(sub, call) for sub in dependant.dependencies)


def test_no_get_route_takes_the_read_write_unit_of_work(settings: Settings) -> None:
    app = create_app(settings)

    writing_reads = [
        route.path_format
        for route in iter_route_contexts(app.routes)
        if isinstance(route.original_route, APIRoute)
        and "GET" in (route.methods or ())
        and depends_on(route.dependant, get_unit_of_work)
    ]

    assert writing_reads == []
