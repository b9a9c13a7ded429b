"""Apps whose requests run inside the test's transaction, so they see its uncommitted rows."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from app.api.state import Resources, resources_of
from app.bootstrap import create_sms_dispatcher
from app.crud.accounts import CoreAccountStore
from app.db.session import SessionFactory, create_session_factory
from app.integrations.phone.base import PhoneProvider


@asynccontextmanager
async def started_in_transaction(
    app: FastAPI, session_factory: SessionFactory
) -> AsyncIterator[FastAPI]:
    """Starts `app` with its database bound to the test's connection: its read-write units of
    work use `session_factory`, its read-only ones a read-only factory on the same
    connection, and `CurrentAccount`'s read goes through Core
    (tests/integration holds the readers equal). The app's state changes, not its
    dependencies: FastAPI analyses every dependency again on each request of an app that
    has overrides."""
    connection = session_factory.kw["bind"]
    assert isinstance(connection, AsyncConnection)

    async with app.router.lifespan_context(app):
        resources: Resources = app.state.resources
        database = replace(
            resources.database,
            session_factory=session_factory,
            read_session_factory=create_session_factory(
                connection,
                read_only=True,
                join_transaction_mode=session_factory.kw["join_transaction_mode"],
            ),
        )
        app.state.resources = replace(
            resources, database=database, accounts=CoreAccountStore(connection)
        )
        send_texts_with(app, resources.phone_provider)
        yield app


def send_texts_with(app: FastAPI, provider: PhoneProvider) -> None:
    """The started app sends its texts with `provider`, recording them as its requests write
    (in the test's transaction)."""
    resources = resources_of(app)
    app.state.resources = replace(
        resources,
        phone_provider=provider,
        sms=create_sms_dispatcher(
            app,
            provider,
            resources.database.session_factory,
            resources.jobs,
            metrics=resources.business_metrics,
        ),
    )
