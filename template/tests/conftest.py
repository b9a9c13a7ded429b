"""Fixtures shared by every test: settings, the database, the app and an HTTP client for it.

Database: one throw-away database per pytest session, migrated once. Each test runs inside
a transaction that is rolled back at its end; sessions (and so units of work and the app's
requests) join it through savepoints, so their commits and rollbacks behave as usual.
"""

import itertools
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from app.core.app_settings import store_settings
from app.core.config import Settings, TestingSettings
from app.core.logging import configure_logging
from app.crud.uow import UnitOfWork
from app.db.engine import create_engine
from app.db.session import SessionFactory, create_session_factory
from app.main import create_app
from app.models import User
from tests.apps import started_in_transaction
from tests.database import PRIMARY_BACKEND, run_alembic, throwaway_database, upgrade_to_head
from tests.sessions import create_user

TEST_SECRET_KEY = "test-secret-key-of-at-least-32-bytes-long"
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Parallel test runs share the Redis server: every key this run writes starts with this, and
# each test adds a number of its own, so no test sees another's rate limits or revocations.
SESSION_KEY_PREFIX = f"test-{secrets.token_hex(6)}:"
_test_numbers = itertools.count(1)


def make_settings(database_url: str, *, redis_key_prefix: str = SESSION_KEY_PREFIX) -> Settings:
    # _env_file=None: a developer's .env must not leak into the tests.
    return TestingSettings(
        _env_file=None,
        secret_key=SecretStr(TEST_SECRET_KEY),
        database_url=SecretStr(database_url),
        redis_url=SecretStr(TEST_REDIS_URL),
        redis_key_prefix=redis_key_prefix,
        seed_admin_phone="",
        seed_admin_username="",
        # Every request reads the flag overrides: apps are shared between tests.
        feature_flags_cache_ttl_seconds=0,
    )


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(TEST_REDIS_URL)
    yield client
    await client.aclose()


@pytest.fixture(scope="session", autouse=True)
async def _remove_redis_keys_of_this_run() -> AsyncIterator[None]:
    yield
    client = Redis.from_url(TEST_REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{SESSION_KEY_PREFIX}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


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


@pytest.fixture(scope="session")
def session_settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def settings(session_settings: Settings) -> Settings:
    # A copy rather than a new instance: reading the environment again for every test would
    # cost more than most tests do.
    prefix = f"{SESSION_KEY_PREFIX}{next(_test_numbers)}:"
    return session_settings.model_copy(update={"redis_key_prefix": prefix})


@pytest.fixture(scope="session")
def documented_app(session_settings: Settings) -> FastAPI:
    """An app that no test starts or adds routes to: the routes and schema the code defines."""
    return create_app(session_settings)


@pytest.fixture(scope="session")
def openapi_schema(documented_app: FastAPI) -> dict[str, Any]:
    """`documented_app`'s schema, built once: building it costs more than most tests."""
    return documented_app.openapi()


@pytest.fixture(scope="session")
def built_apps() -> list[tuple[Settings, FastAPI]]:
    """Apps built so far, by their settings (bar the per-test key prefix): a test reuses one.

    FastAPI analyses every route's dependencies on an app's first request; doing that again
    for each test took a quarter of this suite's time. The key prefix only reaches the
    resources, which `app` opens per test.
    """
    return []


@pytest.fixture
def structured_logging(settings: Settings) -> None:
    """The service's logging, for tests that read its events with caplog. In a fixture:
    configuring logging replaces the root handlers, caplog's included, and caplog installs
    its handler again only for the test's own phase."""
    configure_logging(level=settings.log_level, json=settings.log_json)


@pytest.fixture
def built_app(settings: Settings, built_apps: list[tuple[Settings, FastAPI]]) -> FastAPI:
    """The app that `app` starts. Tests that add routes override it with `create_app`."""
    key = settings.model_copy(update={"redis_key_prefix": ""})
    for known, application in built_apps:
        if known == key:
            configure_logging(level=settings.log_level, json=settings.log_json)  # as create_app
            return application
    application = create_app(settings)
    built_apps.append((key, application))
    return application


@pytest.fixture
async def app(
    built_app: FastAPI, settings: Settings, session_factory: SessionFactory
) -> AsyncIterator[FastAPI]:
    """The app, started with this test's settings; its requests join the test's transaction.

    Routes and dependency overrides a test adds (probes, failing handlers, races) are
    removed afterwards: the app is shared, and a later test reading the OpenAPI document
    must see only the service's own routes.
    The document is kept otherwise: making it costs more than most tests."""
    store_settings(built_app, settings)
    routes = list(built_app.router.routes)
    try:
        async with started_in_transaction(built_app, session_factory):
            yield built_app
    finally:
        built_app.dependency_overrides.clear()
        if list(map(id, built_app.router.routes)) != list(map(id, routes)):
            built_app.router.routes[:] = routes
            built_app.openapi_schema = None


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def user(uow: UnitOfWork) -> User:
    """A committed account with default settings (tests override it for other values)."""
    return await create_user(uow)
