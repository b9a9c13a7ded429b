"""Alembic environment: the URL comes from the application's settings, the target from its models.

Run from the command line (`alembic upgrade head`), it opens its own async engine. Tests and
tools already inside an event loop pass a synchronous connection instead, as
`config.attributes["connection"]` (from `AsyncConnection.run_sync`), since `asyncio.run`
cannot start a second loop; `config.attributes["settings"]` likewise overrides the settings.
"""

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, pool
from sqlalchemy.ext.asyncio import create_async_engine

import app.models  # noqa: F401 - registers every table on Base.metadata
from app.core.config.database import DatabaseSettings
from app.core.config.settings import build_settings, settings_or_exit
from app.db.base import Base

config = context.config


def _settings() -> DatabaseSettings:
    settings: DatabaseSettings | None = config.attributes.get("settings")
    if settings is None:
        # The database settings alone: a migration job has no other secret to give.
        settings = config.attributes["settings"] = settings_or_exit(
            lambda: build_settings(DatabaseSettings)
        )
    return settings


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters tables by copying them ("batch" mode); PostgreSQL alters them in place.
        render_as_batch=connection.dialect.name == "sqlite",
        # Autogenerate (and `alembic check`) compare column types and server defaults too.
        compare_type=True,
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations(url: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_migrations)
    finally:
        await engine.dispose()


def main() -> None:
    url = _settings().sqlalchemy_database_url
    if context.is_offline_mode():
        context.configure(
            url=url,
            target_metadata=Base.metadata,
            literal_binds=True,
            dialect_opts={"paramstyle": "named"},
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    asyncio.run(run_async_migrations(url))


main()
