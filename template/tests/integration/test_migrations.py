"""Migrations on every database the project runs on: no drift, round trips, seed data.

One database per backend serves the module; each test starts by downgrading it to empty.
"""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from functools import partial

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from app.core.config import Settings
from tests.database import BACKENDS, Backend, run_alembic, throwaway_database, upgrade_to_head

TABLES = {"users", "user_settings", "authentications", "refresh_tokens"}
ADMIN_PHONE = "+15550199999"


@pytest.fixture(scope="module")
async def migration_databases(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[dict[Backend, str]]:
    directory = tmp_path_factory.mktemp("migrations")
    async with AsyncExitStack() as stack:
        yield {
            backend: await stack.enter_async_context(throwaway_database(backend, directory))
            for backend in BACKENDS
        }


@pytest.fixture(params=BACKENDS)
async def empty_database(
    request: pytest.FixtureRequest, migration_databases: dict[Backend, str], settings: Settings
) -> str:
    url = migration_databases[request.param]
    await run_alembic(url, settings, partial(command.downgrade, revision="base"))
    return url


@pytest.fixture
def seeding(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"seed_admin_phone": ADMIN_PHONE, "seed_admin_username": "Admin"}
    )


async def query(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in await connection.execute(text(sql))]
    finally:
        await engine.dispose()


async def execute(url: str, sql: str, **parameters: object) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(sql), parameters)
    finally:
        await engine.dispose()


async def table_names(url: str) -> set[str]:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def test_upgrade_leaves_no_drift_and_downgrade_round_trips(
    empty_database: str, settings: Settings
) -> None:
    await run_alembic(empty_database, settings, upgrade_to_head)
    # Raises on any difference between the models and the migrated schema; warnings (such
    # as an index autogenerate cannot compare) fail the test too (filterwarnings = error).
    await run_alembic(empty_database, settings, command.check)
    assert await table_names(empty_database) >= TABLES

    await run_alembic(empty_database, settings, partial(command.downgrade, revision="base"))
    assert await table_names(empty_database) == {"alembic_version"}

    await run_alembic(empty_database, settings, upgrade_to_head)
    assert await table_names(empty_database) >= TABLES


async def test_seed_creates_the_admin_once(empty_database: str, seeding: Settings) -> None:
    await run_alembic(empty_database, seeding, upgrade_to_head)
    # Run the seed again: step back before it (its downgrade keeps the data) and upgrade.
    await run_alembic(empty_database, seeding, partial(command.downgrade, revision="0001"))
    await run_alembic(empty_database, seeding, upgrade_to_head)

    admins = await query(
        empty_database,
        "SELECT u.phone_number, u.username_normalized, u.is_admin, u.phone_verified_at IS NULL,"
        " s.language FROM users u JOIN user_settings s ON s.user_id = u.id",
    )
    assert admins == [(ADMIN_PHONE, "admin", True, False, "en")]


async def test_seed_promotes_an_existing_account(
    empty_database: str, settings: Settings, seeding: Settings
) -> None:
    await run_alembic(empty_database, settings, partial(command.upgrade, revision="0001"))
    await execute(
        empty_database,
        "INSERT INTO users (id, phone_number, username, username_normalized)"
        " VALUES ('0123456789abcdef0123456789abcdef', :phone, 'Boss', 'boss')",
        phone=ADMIN_PHONE,
    )

    await run_alembic(empty_database, seeding, upgrade_to_head)

    users = await query(empty_database, "SELECT username, is_admin FROM users")
    assert users == [("Boss", True)]
    assert len(await query(empty_database, "SELECT id FROM user_settings")) == 1


async def test_seed_does_nothing_without_settings(empty_database: str, settings: Settings) -> None:
    await run_alembic(empty_database, settings, upgrade_to_head)

    assert await query(empty_database, "SELECT id FROM users") == []


async def add_user(url: str, number: int, email: str, *, verified: bool) -> None:
    await execute(
        url,
        "INSERT INTO users (id, phone_number, username, username_normalized, email,"
        " email_verified_at) VALUES (:id, :phone, :name, :name, :email,"
        " CASE WHEN :verified THEN CURRENT_TIMESTAMP END)",
        id=f"{number:032x}",
        phone=f"+1555010{number:04d}",
        name=f"user{number}",
        email=email,
        verified=verified,
    )


async def test_0004_keeps_addresses_and_makes_only_verified_ones_unique(
    empty_database: str, settings: Settings
) -> None:
    await run_alembic(empty_database, settings, partial(command.upgrade, revision="0003"))
    await add_user(empty_database, 1, "owner@example.com", verified=True)
    await add_user(empty_database, 2, "claim@example.com", verified=False)

    await run_alembic(empty_database, settings, upgrade_to_head)

    # Claims of an address, verified by another account or not, no longer collide.
    await add_user(empty_database, 3, "owner@example.com", verified=False)
    await add_user(empty_database, 4, "claim@example.com", verified=False)
    with pytest.raises(IntegrityError):
        await add_user(empty_database, 5, "owner@example.com", verified=True)
    emails = "SELECT username, email FROM users ORDER BY username"
    assert await query(empty_database, emails) == [
        ("user1", "owner@example.com"),
        ("user2", "claim@example.com"),
        ("user3", "owner@example.com"),
        ("user4", "claim@example.com"),
    ]

    # Back to one holder per address: the later unverified claims lose theirs.
    await run_alembic(empty_database, settings, partial(command.downgrade, revision="0003"))
    assert await query(empty_database, emails) == [
        ("user1", "owner@example.com"),
        ("user2", "claim@example.com"),
        ("user3", None),
        ("user4", None),
    ]
