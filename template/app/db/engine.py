"""The async engine, built from settings: pool limits, SQLite transactions, slow-query log."""

import logging
import time
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.core.config.database import DatabaseSettings
from app.core.errors import DatabaseUnavailableError

logger = structlog.get_logger("app.db")

_QUERY_STARTED = "app_query_started"


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    url = make_url(settings.sqlalchemy_database_url)
    if settings.database_echo:
        # Through the root handler (structured, with request ids) rather than echo=True,
        # which adds a second, plain handler.
        logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    if url.get_backend_name() == "sqlite":
        # A local file: the driver's default pool fits, PostgreSQL's pool limits do not.
        # The driver's `timeout` is how long a statement waits for SQLite's write lock.
        engine = create_async_engine(
            url,
            connect_args={"timeout": settings.database_statement_timeout_seconds},
            hide_parameters=not settings.database_log_parameters,
        )
        _use_sqlite_transactions(engine)
    else:
        # No ping per checkout by default (pre-ping is a round trip on every request): a
        # connection the server dropped fails the one statement that finds it, SQLAlchemy then
        # invalidates the whole pool (every connection older than the failure reconnects on
        # its next checkout), and the failed request answers 503 (app.core.problems).
        engine = create_async_engine(
            url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
            pool_timeout=settings.database_pool_timeout_seconds,
            pool_recycle=settings.database_pool_recycle_seconds,
            pool_pre_ping=settings.database_pool_pre_ping,
            connect_args=asyncpg_connect_args(settings),
            hide_parameters=not settings.database_log_parameters,
        )
    _unreachable_as_unavailable(engine)
    if settings.database_slow_query_ms > 0:
        _log_slow_queries(engine, threshold_seconds=settings.database_slow_query_ms / 1000)
    return engine


def _unreachable_as_unavailable(engine: AsyncEngine) -> None:
    """A refused or timed-out connect is a 503 naming the database, never a 500.

    The driver raises these as plain OSError and TimeoutError, which SQLAlchemy passes on
    unwrapped; their message names the host, so only the log gets it.
    """

    @event.listens_for(engine.sync_engine, "do_connect")
    def _connect(dialect: Dialect, _: Any, cargs: Any, cparams: Any) -> Any:
        try:
            return dialect.connect(*cargs, **cparams)
        except (OSError, TimeoutError) as exc:
            logger.warning("database_unreachable", error_type=type(exc).__name__, error=str(exc))
            raise DatabaseUnavailableError from exc


def asyncpg_connect_args(settings: DatabaseSettings) -> dict[str, Any]:
    """Bound every wait on PostgreSQL, so an unresponsive server costs a 503, not a hang.

    `timeout` covers connecting (TCP and start-up), `command_timeout` each statement on the
    client; `statement_timeout` lets the server cancel a statement the client gave up on.
    """
    statement_ms = round(settings.database_statement_timeout_seconds * 1000)
    return {
        "timeout": settings.database_connect_timeout_seconds,
        "command_timeout": settings.database_statement_timeout_seconds,
        "server_settings": {"statement_timeout": str(statement_ms)},
    }


def _use_sqlite_transactions(engine: AsyncEngine) -> None:
    """Make SQLite transactions behave as PostgreSQL's: SAVEPOINT, rollback and foreign keys.

    The sqlite3 driver skips BEGIN before SELECT and SAVEPOINT, so a savepoint would not
    belong to the enclosing transaction; SQLAlchemy emits BEGIN itself instead. IMMEDIATE
    takes the write lock at the start: two transactions that read and then write (a request
    and a background send) would otherwise deadlock, and SQLite answers a deadlock with an
    immediate "database is locked" instead of waiting. Foreign keys are off by default in
    SQLite and would let ON DELETE CASCADE silently do nothing.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Autocommit reads (the health check) take no lock, so they never wait on a writer.
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _log_slow_queries(engine: AsyncEngine, *, threshold_seconds: float) -> None:
    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _started(connection: Connection, *_: Any) -> None:
        connection.info[_QUERY_STARTED] = time.perf_counter()

    @event.listens_for(engine.sync_engine, "after_cursor_execute")
    def _finished(connection: Connection, _: Any, statement: str, *__: Any) -> None:
        elapsed = time.perf_counter() - connection.info.pop(_QUERY_STARTED, time.perf_counter())
        if elapsed >= threshold_seconds:
            logger.warning(
                "slow_query", duration_ms=round(elapsed * 1000, 2), statement=statement[:1000]
            )
