import logging
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from app.core.config import Settings
from app.db.engine import create_engine
from app.db.health import database_status
from app.db.migrate import code_head_revisions
from tests.database import PRIMARY_BACKEND, unreachable_database_url


@pytest.mark.usefixtures("structured_logging")
async def test_slow_statements_are_logged(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_engine(settings.model_copy(update={"database_slow_query_ms": 0.001}))
    try:
        with caplog.at_level(logging.WARNING, logger="app.db"):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 42"))
    finally:
        await engine.dispose()

    events = [r.msg for r in caplog.records if r.name == "app.db" and isinstance(r.msg, dict)]
    [event] = [e for e in events if e["statement"] == "SELECT 42"]
    assert event["event"] == "slow_query"
    assert event["duration_ms"] >= 0


async def test_echo_logs_statements_through_the_application_logging(settings: Settings) -> None:
    sqlalchemy_logger = logging.getLogger("sqlalchemy.engine")
    level = sqlalchemy_logger.level
    engine = create_engine(settings.model_copy(update={"database_echo": True}))
    try:
        assert sqlalchemy_logger.level == logging.INFO
        assert not sqlalchemy_logger.handlers  # records reach the root (structured) handler
    finally:
        sqlalchemy_logger.setLevel(level)
        await engine.dispose()


async def test_health_check_reports_a_working_database(settings: Settings) -> None:
    engine = create_engine(settings)
    try:
        assert (
            await database_status(
                engine, expected_revisions=code_head_revisions(), timeout_seconds=5
            )
            == "ok"
        )
    finally:
        await engine.dispose()


async def test_health_check_reports_an_unreachable_database(
    settings: Settings, tmp_path: Path
) -> None:
    url = unreachable_database_url(PRIMARY_BACKEND, tmp_path)
    engine = create_engine(settings.model_copy(update={"database_url": SecretStr(url)}))
    try:
        assert (
            await database_status(
                engine, expected_revisions=code_head_revisions(), timeout_seconds=5
            )
            == "unavailable"
        )
    finally:
        await engine.dispose()
