"""Fixtures shared by every test: settings, the database, the app and an HTTP client for it.

Database: one throw-away database per pytest session, migrated once. Each test runs inside
a transaction that is rolled back at its end; sessions (and so units of work and the app's
requests) join it through savepoints, so their commits and rollbacks behave as usual.
"""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from app.api.deps import get_session_factory
from app.core.config import Settings, TestingSettings
from app.db.engine import create_engine
from app.db.session import SessionFactory, create_session_factory
from app.db.uow import UnitOfWork
from app.main import create_app
from tests.database import PRIMARY_BACKEND, run_alembic, throwaway_database, upgrade_to_head

TEST_SECRET_KEY = "test-secret-key-of-at-least-32-bytes-long"


def make_settings(database_url: str) -> Settings:
    # _env_file=None: a developer's .env must not leak into the tests.
    return TestingSettings(
        _env_file=None,
        secret_key=SecretStr(TEST_SECRET_KEY),
        database_url=SecretStr(database_url),
        seed_admin_phone="",
        seed_admin_username="",
    )


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    directory: Path = tmp_path_factory.mktemp("database")
    async with throwaway_database(PRIMARY_BACKEND, directory) as url:
        await run_alembic(url, make_settings(url), upgrade_to_head)
        yield url


@pytest.fixture(scope="session")
async def database_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(make_settings(database_url))
    yield engine
    await engine.dispose()


@pytest.fixture
async def db_connection(database_engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with database_engine.connect() as connection:
        transaction = await connection.begin()
        yield connection
        await transaction.rollback()


@pytest.fixture
def session_factory(db_connection: AsyncConnection) -> SessionFactory:
    return create_session_factory(db_connection, join_transaction_mode="create_savepoint")


@pytest.fixture
async def session(session_factory: SessionFactory) -> AsyncIterator[AsyncSession]:
    async with session_factory() as session:
        yield session


@pytest.fixture
def uow(session_factory: SessionFactory) -> UnitOfWork:
    return UnitOfWork(session_factory)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
async def app(settings: Settings, session_factory: SessionFactory) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    application.dependency_overrides[get_session_factory] = lambda: session_factory
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
