"""Apps whose requests run inside the test's transaction, so they see its uncommitted rows."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from app.api.deps import get_session_factory
from app.core.resources import Resources
from app.crud.accounts import CoreAccountReader
from app.db.session import SessionFactory


@asynccontextmanager
async def started_in_transaction(
    app: FastAPI, session_factory: SessionFactory
) -> AsyncIterator[FastAPI]:
    """Starts `app`; its units of work use `session_factory`, bound to the test's connection,
    and so does `CurrentAccount`'s read, through Core (tests/integration holds the readers
    equal)."""
    connection = session_factory.kw["bind"]
    assert isinstance(connection, AsyncConnection)

    async def test_session_factory() -> SessionFactory:  # async, as the one it replaces
        return session_factory

    app.dependency_overrides = {get_session_factory: test_session_factory}
    async with app.router.lifespan_context(app):
        resources: Resources = app.state.resources
        database = replace(resources.database, accounts=CoreAccountReader(connection))
        app.state.resources = replace(resources, database=database)
        yield app
