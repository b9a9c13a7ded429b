"""The application-scoped database handle: one engine and its session factories per process."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm.session import JoinTransactionMode

from app.core.config.database import DatabaseSettings
from app.db.engine import create_engine
from app.db.read_only import READ_ONLY
from app.db.soft_delete import AppSession

SessionFactory = async_sessionmaker[AsyncSession]


@dataclass(frozen=True, slots=True)
class Database:
    engine: AsyncEngine
    session_factory: SessionFactory
    # Read-only (app.db.read_only), for the read endpoints' `ReadOnlyUnitOfWork`; in
    # autocommit, as a read needs no BEGIN and COMMIT, each a round trip.
    read_session_factory: SessionFactory


def create_session_factory(
    bind: AsyncEngine | AsyncConnection,
    *,
    read_only: bool = False,
    join_transaction_mode: JoinTransactionMode = "conditional_savepoint",
) -> SessionFactory:
    # expire_on_commit=False: reading an attribute after commit must not trigger implicit
    # (and, under asyncio, impossible) lazy IO.
    return async_sessionmaker(
        bind,
        sync_session_class=AppSession,
        expire_on_commit=False,
        join_transaction_mode=join_transaction_mode,
        info={READ_ONLY: read_only},
    )


@asynccontextmanager
async def open_database(settings: DatabaseSettings) -> AsyncIterator[Database]:
    """Open the engine for the application's lifetime and dispose of its pool afterwards."""
    engine = create_engine(settings)
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
    try:
        yield Database(
            engine=engine,
            session_factory=create_session_factory(engine),
            read_session_factory=create_session_factory(autocommit, read_only=True),
        )
    finally:
        await engine.dispose()
